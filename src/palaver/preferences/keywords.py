"""NegMAS keywords every preferences class takes without declaring them (``name=``,
``stability=``): one wrapper of a class's ``__init__`` for all of them."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

#: Marks an ``__init__`` already wrapped by :func:`accept_keywords`.
_MARK = "_palaver_keywords"


def accept_keywords(
    cls: type,
    checks: Mapping[str, Callable[[Any], Any]],
    attributes: Mapping[str, str] | None = None,
) -> None:
    """Let ``cls(...)`` take each ``keyword=value`` of ``checks``, kept as
    ``self.<keyword> = checks[keyword](value)`` after ``__init__`` (``None``:
    not given, nothing set), or as the attribute ``attributes[keyword]`` names.

    A check raises for a wrong value, before ``__init__`` runs; the keywords
    are checked in reverse order of ``checks`` and set in its order. Applied
    to a class whose own ``__init__`` neither declares a keyword nor forwards
    ``**kwargs`` (a base then takes it), once per class. When ``__init__`` is
    the wrapper of :func:`~palaver.outcomes.helpers.accept_space_keywords`,
    a call with none of the keywords goes straight to the function it wraps.
    """
    init = cls.__dict__.get("__init__")
    if init is None or getattr(init, _MARK, False):
        return
    parameters = inspect.signature(init).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return
    targets = attributes or {}
    taken = [(k, check) for k, check in checks.items() if k not in parameters]
    if not taken:
        return
    # A utility function is made per negotiation in a tournament or a world:
    # one wrapper frame for every keyword, and a call without any of them
    # (nearly every call) skips the space wrapper's frame too.
    direct = init
    handled = {k for k, _ in taken}
    if getattr(init, "_palaver_space_keywords", False):
        direct = init.__wrapped__
        handled |= set(init._palaver_space_keywords_taken)
    keywords = frozenset(handled)
    checked_first = taken[::-1]

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if keywords.isdisjoint(kwargs):
            direct(self, *args, **kwargs)
            return
        values = []
        for keyword, check in checked_first:
            given = kwargs.pop(keyword, None)
            values.append((keyword, None if given is None else check(given)))
        init(self, *args, **kwargs)
        for keyword, value in reversed(values):
            if value is not None:
                setattr(self, targets.get(keyword, keyword), value)

    setattr(__init__, _MARK, True)
    cls.__init__ = __init__  # type: ignore[misc]
