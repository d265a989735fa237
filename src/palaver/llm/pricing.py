"""Prices of models, in US dollars per million tokens, editable by the user."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Price:
    """US dollars per million input (prompt) and output (completion) tokens."""

    input_per_million: float
    output_per_million: float

    def __post_init__(self) -> None:
        for name in ("input_per_million", "output_per_million"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                raise ValueError(f"Price({name}=...) must be a number >= 0, got {value!r}")

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        """The cost of a call in US dollars."""
        for name, n in (("input_tokens", input_tokens), ("output_tokens", output_tokens)):
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise ValueError(f"Price.cost({name}=...) must be an int >= 0, got {n!r}")
        return (
            input_tokens * self.input_per_million + output_tokens * self.output_per_million
        ) / 1e6


class PriceTable(Mapping[str, Price]):
    """Model name -> :class:`Price`; a model missing from the table has no cost (``None``).

    Prices change and differ between providers, so the table is yours to fill:
    ``PriceTable({"gpt-4o-mini": Price(0.15, 0.60)})``, ``table.set(...)``,
    or :meth:`from_mapping` on a dict read from JSON/TOML. A name ending in
    ``*`` matches every model starting with what precedes it (``"llama3*"``).
    """

    def __init__(self, prices: Mapping[str, Price | tuple[float, float]] | None = None) -> None:
        self._prices: dict[str, Price] = {}
        if prices is not None and not isinstance(prices, Mapping):
            raise ValueError(
                f"PriceTable(prices=...) must be a mapping of model name to Price, got {prices!r}"
            )
        for model, price in (prices or {}).items():
            self.set(model, price)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Mapping[str, float]]) -> PriceTable:
        """From ``{model: {"input_per_million": x, "output_per_million": y}}``."""
        if not isinstance(data, Mapping):
            raise ValueError(
                f"PriceTable.from_mapping(data=...) must be a mapping of model name to "
                f"{{input_per_million, output_per_million}}, got {data!r}"
            )
        table = cls()
        keys = {"input_per_million", "output_per_million"}
        for model, entry in data.items():
            if not isinstance(entry, Mapping) or set(entry) != keys:
                raise ValueError(
                    f"price of {model!r} must be a mapping with exactly input_per_million and "
                    f"output_per_million, got {entry!r}"
                )
            table.set(model, Price(entry["input_per_million"], entry["output_per_million"]))
        return table

    def set(self, model: str, price: Price | tuple[float, float]) -> None:
        """Set (or replace) the price of ``model``."""
        if not isinstance(model, str) or not model:
            raise ValueError(f"a model name must be a non-empty str, got {model!r}")
        if isinstance(price, tuple):
            if len(price) != 2:
                raise ValueError(
                    f"price of {model!r} must be a Price or a pair (input_per_million, "
                    f"output_per_million), got {price!r}"
                )
            price = Price(*price)
        if not isinstance(price, Price):
            raise ValueError(f"price of {model!r} must be a Price or a pair, got {price!r}")
        self._prices[model] = price

    def lookup(self, model: str) -> Price | None:
        """The price of ``model`` (exact name first, then the longest ``*`` prefix)."""
        if not isinstance(model, str):
            raise ValueError(f"PriceTable.lookup(model=...) must be a str, got {model!r}")
        price = self._prices.get(model)
        if price is not None:
            return price
        best: tuple[int, Price] | None = None
        for name, candidate in self._prices.items():
            matches = name.endswith("*") and model.startswith(name[:-1])
            if matches and (best is None or len(name) > best[0]):
                best = (len(name), candidate)
        return best[1] if best else None

    def cost(self, model: str, input_tokens: int, output_tokens: int) -> float | None:
        """The cost of a call in US dollars, or ``None`` when ``model`` has no price."""
        price = self.lookup(model)
        return None if price is None else price.cost(input_tokens, output_tokens)

    def __getitem__(self, model: str) -> Price:
        return self._prices[model]

    def __iter__(self) -> Iterator[str]:
        return iter(self._prices)

    def __len__(self) -> int:
        return len(self._prices)

    def __repr__(self) -> str:
        return f"PriceTable({self._prices!r})"
