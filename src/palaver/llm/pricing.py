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
        for model, price in (prices or {}).items():
            self.set(model, price)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Mapping[str, float]]) -> PriceTable:
        """From ``{model: {"input_per_million": x, "output_per_million": y}}``."""
        table = cls()
        for model, entry in data.items():
            try:
                table.set(model, Price(entry["input_per_million"], entry["output_per_million"]))
            except (KeyError, TypeError):
                raise ValueError(
                    f"price of {model!r} must be a mapping with input_per_million and "
                    f"output_per_million, got {entry!r}"
                ) from None
        return table

    def set(self, model: str, price: Price | tuple[float, float]) -> None:
        """Set (or replace) the price of ``model``."""
        if not isinstance(model, str) or not model:
            raise ValueError(f"a model name must be a non-empty str, got {model!r}")
        if isinstance(price, tuple):
            price = Price(*price)
        if not isinstance(price, Price):
            raise ValueError(f"price of {model!r} must be a Price or a pair, got {price!r}")
        self._prices[model] = price

    def lookup(self, model: str) -> Price | None:
        """The price of ``model`` (exact name first, then the longest ``*`` prefix)."""
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
