"""NegMAS keywords every preferences class takes without declaring them (``name=``,
``stability=``): one wrapper of a class's ``__init__`` per keyword."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any


def accept_keyword(cls: type, keyword: str, checked: Callable[[Any], Any]) -> None:
    """Let ``cls(...)`` take ``keyword=value``, kept as ``self.<keyword> = checked(value)``
    after ``__init__`` (``None``: not given, nothing set).

    ``checked`` raises for a wrong value, before ``__init__`` runs. Applied to
    a class whose own ``__init__`` neither declares ``keyword`` nor forwards
    ``**kwargs`` (a base then takes it), once per class and keyword.
    """
    init = cls.__dict__.get("__init__")
    mark = f"_palaver_{keyword}_keyword"
    if init is None or getattr(init, mark, False):
        return
    parameters = inspect.signature(init).parameters
    if keyword in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    ):
        return

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        given = kwargs.pop(keyword, None)
        value = None if given is None else checked(given)
        init(self, *args, **kwargs)
        if value is not None:
            setattr(self, keyword, value)

    setattr(__init__, mark, True)
    cls.__init__ = __init__  # type: ignore[misc]
