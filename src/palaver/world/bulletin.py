"""The bulletin board: public information every agent can read."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["BulletinBoard"]


def _check_name(what: str, value: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"a bulletin-board {what} is a string; got {value!r}")


def _check_flag(value: Any) -> None:
    # Read by truthiness, query_keys=1 or "no" would match keys, not values.
    if not isinstance(value, bool | np.bool_):
        raise TypeError(
            f"query_keys must be True or False; got {value!r:.80} ({type(value).__name__})"
        )


def _key_pattern(query: Any) -> re.Pattern[str]:
    """``query`` as the regular expression keys are matched with (``query_keys``)."""
    try:
        return re.compile(str(query))
    except re.error as exc:
        raise ValueError(
            f"query={query!r:.80} with query_keys=True must be a regular expression: {exc}"
        ) from None


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

    @property
    def data(self) -> dict[str, dict[str, Any]]:
        """Every section by name, each a copy of its ``{key: value}`` records
        (NegMAS's ``data``, read-only here: post with :meth:`record`)."""
        return {name: dict(records) for name, records in self._data.items()}

    @classmethod
    def satisfies(cls, value: Any, query: Any) -> bool:
        """Whether ``value`` matches ``query`` by NegMAS's rule (see :meth:`query`)."""
        return _satisfies(value, query)

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
        if key is not None:
            # Never recorded under a key that is not a string: None would hide the mistake.
            _check_name("key", key)
        records = self._data.get(section)
        if records is None:
            return None if key is not None else {}
        if key is None:
            return dict(records)
        return records.get(key)

    def query(
        self,
        section: str | list[str] | None,
        query: Any = None,
        query_keys: bool = False,
        *,
        predicate: Callable[[str, Any], bool] | None = None,
    ) -> dict[str, Any]:
        """The records of ``section`` that match, as ``{key: value}``.

        ``section`` is a section name, a list of them, or ``None`` for every
        public section (a name not starting with ``_``), as in NegMAS.
        Matching is ``predicate(key, value)`` when given (or when ``query`` is
        callable), else NegMAS's rules: every record when ``query`` is
        ``None``; with ``query_keys`` the keys ``re.match``-ing ``query``;
        otherwise the values that satisfy it (``value.satisfies(query)`` when
        the value has that method, else a dict value holding every item of
        the dict ``query``; anything else is a ``ValueError``). With ``section``
        ``None`` the sections hold values of every kind (the world's
        ``"settings"``: numbers, names), so there a dict ``query`` does not match
        a value that is not a dict (nor has ``satisfies``) instead of raising.
        """
        _check_flag(query_keys)
        if predicate is None and callable(query) and not query_keys:
            predicate, query = query, None
        if predicate is not None and not callable(predicate):
            raise TypeError(
                f"predicate must be callable as predicate(key, value); got {predicate!r}"
            )
        found: dict[str, Any] = {}
        for name in self._named(section):
            found.update(self._matching(name, query, query_keys, predicate, section is None))
        return found

    def _matching(
        self,
        name: str,
        query: Any,
        query_keys: bool,
        predicate: Callable[[str, Any], bool] | None,
        every: bool,
    ) -> dict[str, Any]:
        # The records of one section that match (see query); ``every``: the
        # section is one of all the public ones.
        records = self._data.get(name, {})
        if predicate is not None:
            return {k: v for k, v in records.items() if predicate(k, v)}
        if query is None:
            return dict(records)
        if query_keys:
            pattern = _key_pattern(query)
            return {k: v for k, v in records.items() if pattern.match(k)}
        # Across every section a dict query looks for dict values: the others
        # (the world's settings) are no match. Any other query is matched as
        # in one section, where a value it cannot be matched against is an error.
        lenient = every and isinstance(query, dict)
        return {k: v for k, v in records.items() if _satisfies(v, query, lenient)}

    def _named(self, section: str | list[str] | None) -> list[str]:
        # NegMAS's section argument: one name, several, or every public one.
        if section is None:
            return [name for name in self._data if not name.startswith("_")]
        if isinstance(section, list | tuple):
            for name in section:
                _check_name("section", name)
            return list(section)
        _check_name("section", section)
        return [section]

    def remove(
        self,
        section: str | list[str] | None,
        key: str | None = None,
        *,
        query: Any = None,
        query_keys: bool = False,
        value: Any = None,
    ) -> bool:
        """Remove records; returns whether anything was removed.

        ``key`` removes that record; NegMAS's ``value`` removes the first
        record equal to it, and ``query`` (with ``query_keys``, as in
        :meth:`query`) every matching record. With none of the three, the
        whole section goes (NegMAS removes nothing then). ``section`` may be a
        list of names or ``None`` (every public section), as in :meth:`query`;
        the result is then whether every section had something removed.
        """
        _check_flag(query_keys)
        if section is None or isinstance(section, list | tuple):
            names = self._named(section)
            every = section is None
            return bool(names) and all(
                [self._remove(n, key, query, query_keys, value, every) for n in names]
            )
        return self._remove(section, key, query, query_keys, value, False)

    def _remove(
        self, section: str, key: str | None, query: Any, query_keys: bool, value: Any, every: bool
    ) -> bool:
        # One section of remove(); ``every``: it is one of all the public sections.
        _check_name("section", section)
        if key is not None:
            _check_name("key", key)
        records = self._data.get(section)
        if value is not None and records is not None:
            key = next((k for k, v in records.items() if v == value), None)
            if key is None:
                return False
        if key is None and query is None and value is None:
            return self._data.pop(section, None) is not None
        if records is None:
            return False
        if key is not None:
            return records.pop(key, _MISSING) is not _MISSING
        matched = self._matching(section, query, query_keys, None, every)
        for k in matched:
            del records[k]
        return bool(matched)


_MISSING = object()


def _satisfies(value: Any, query: Any, every: bool = False) -> bool:
    """NegMAS's rule for a value matching a query (see :meth:`BulletinBoard.query`);
    ``every``: a value it cannot be matched against is no match (a query over
    every section), not a ``ValueError``."""
    method = getattr(value, "satisfies", None)
    if callable(method):
        return bool(method(query))
    if isinstance(value, dict) and isinstance(query, dict):
        return all(value.get(k) == v for k, v in query.items())
    if every:
        return False
    raise ValueError(
        f"cannot match the query {query!r:.60} ({type(query).__name__}) against the "
        f"value {value!r:.60} ({type(value).__name__}): give a dict query for dict values, "
        "a value with a satisfies(query) method, query_keys=True, or predicate="
    )
