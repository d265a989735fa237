"""The bulletin board: public information every agent can read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["BulletinBoard"]


def _check_name(what: str, value: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"a bulletin-board {what} is a string; got {value!r}")


class BulletinBoard:
    """Named sections of key -> value records, readable by every agent.

    The world posts breaches in the ``"breaches"`` section (keyed by breach id)
    and its settings in ``"settings"``; worlds and agents may add sections.
    """

    def __init__(self) -> None:
        self._data: dict[str, dict[str, Any]] = {"breaches": {}, "settings": {}}
        self._counter = 0

    @property
    def sections(self) -> list[str]:
        """The section names."""
        return list(self._data)

    def add_section(self, name: str) -> None:
        """Add an empty section (no-op when it exists)."""
        self._data.setdefault(name, {})

    def record(self, section: str, value: Any, key: str | None = None) -> str:
        """Post ``value`` under ``key`` (generated when ``None``); returns the key.

        The section is created when missing. ``section`` and ``key`` are strings
        (``TypeError`` otherwise).
        """
        _check_name("section", section)
        if key is not None:
            _check_name("key", key)
        if key is None:
            self._counter += 1
            key = f"{section}-{self._counter}"
        self._data.setdefault(section, {})[key] = value
        return key

    def read(self, section: str, key: str | None = None) -> Any:
        """The whole section (a dict copy) or one record (``None`` when absent)."""
        # A section that is not a string could never have been recorded: reading
        # it is a mistake, not an empty section.
        _check_name("section", section)
        records = self._data.get(section)
        if records is None:
            return None if key is not None else {}
        if key is None:
            return dict(records)
        return records.get(key)

    def query(self, section: str, predicate: Callable[[str, Any], bool]) -> dict[str, Any]:
        """The records of ``section`` for which ``predicate(key, value)`` is true."""
        _check_name("section", section)
        if not callable(predicate):
            raise TypeError(
                f"predicate must be callable as predicate(key, value); got {predicate!r}"
            )
        return {k: v for k, v in self._data.get(section, {}).items() if predicate(k, v)}

    def remove(self, section: str, key: str | None = None) -> bool:
        """Remove one record, or the whole section when ``key`` is ``None``.

        Returns whether anything was removed.
        """
        _check_name("section", section)
        if key is None:
            return self._data.pop(section, None) is not None
        records = self._data.get(section)
        if records is None or key not in records:
            return False
        del records[key]
        return True
