"""NegMAS's comparisons of outcomes by utility, for
:class:`~palaver.preferences.UtilityFunction`: ``is_better``, ``difference``,
``is_not_worse``, ``is_worse``, ``is_not_better``, ``is_equivalent``,
``rank`` and ``argrank``. They need nothing of a utility function but
calling it on an outcome (``None``: the reserved value), so they hold no
state of their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from palaver._util.checks import check_items
from palaver.outcomes import Outcome


class UtilityComparisons:
    """NegMAS's comparison methods of a utility function (see the module);
    ``self(outcome)`` gives the utility they compare."""

    __slots__ = ()

    if TYPE_CHECKING:  # UtilityFunction's; declared for the type checker only

        def __call__(self, outcome: Outcome | Mapping[str, Any] | None) -> float: ...

    def rank(
        self, outcomes: Sequence[Outcome | None], descending: bool = True
    ) -> list[list[Outcome | None]]:
        """``outcomes`` grouped by utility, best group first (worst first when not
        ``descending``): one list per distinct utility, holding the outcomes of that
        utility in their input order. ``None`` is ranked at the reserved value."""
        groups: dict[float, list[Outcome | None]] = {}
        for outcome in check_items("outcomes", outcomes, "outcomes"):
            groups.setdefault(self(outcome), []).append(outcome)
        return [groups[u] for u in sorted(groups, reverse=descending)]

    def is_better(
        self, first: Outcome | Mapping[str, Any] | None, second: Outcome | Mapping[str, Any] | None
    ) -> bool:
        """Whether ``first`` is strictly better than ``second`` (NegMAS's: ``False`` when
        they are equally good, or either utility is NaN)."""
        return self.difference(first, second) > 0

    # NegMAS's other comparisons (bools, as is_better):
    # NegMAS-style negotiators call them in respond().
    def difference(
        self, first: Outcome | Mapping[str, Any] | None, second: Outcome | Mapping[str, Any] | None
    ) -> float:
        """The utility of ``first`` minus that of ``second`` (``None``: the reserved value)."""
        return float(self(first)) - float(self(second))

    def is_not_worse(
        self, first: Outcome | Mapping[str, Any] | None, second: Outcome | Mapping[str, Any] | None
    ) -> bool:
        """Whether ``first`` is at least as good as ``second``."""
        return self.difference(first, second) >= 0

    def is_worse(
        self, first: Outcome | Mapping[str, Any] | None, second: Outcome | Mapping[str, Any] | None
    ) -> bool:
        """Whether ``first`` is strictly worse than ``second``."""
        return not self.is_not_worse(first, second)

    def is_not_better(
        self, first: Outcome | Mapping[str, Any] | None, second: Outcome | Mapping[str, Any] | None
    ) -> bool:
        """Whether ``first`` is at most as good as ``second``."""
        return self.is_not_worse(second, first)

    def is_equivalent(
        self, first: Outcome | Mapping[str, Any] | None, second: Outcome | Mapping[str, Any] | None
    ) -> bool:
        """Whether ``first`` and ``second`` have the same utility."""
        return self.is_not_worse(first, second) and self.is_not_worse(second, first)

    def argrank(
        self, outcomes: Sequence[Outcome | None], descending: bool = True
    ) -> list[list[int]]:
        """:meth:`rank` by position: the indices in ``outcomes`` grouped by utility, best first."""
        groups: dict[float, list[int]] = {}
        for i, outcome in enumerate(check_items("outcomes", outcomes, "outcomes")):
            groups.setdefault(self(outcome), []).append(i)
        return [groups[u] for u in sorted(groups, reverse=descending)]
