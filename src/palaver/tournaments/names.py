"""Dotted names of classes and functions in tournament configs, and their import."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Any

from palaver.tournaments import vetting


class TournamentConfigError(ValueError):
    """A tournament declaration is invalid; the message says which field and why."""


def resolve_name(
    name: str, what: str = "object", allowed_packages: Sequence[str] | None = None
) -> Any:
    """Import the object a dotted name points to.

    ``name`` is ``"package.module:Attr.Sub"`` or ``"package.module.Attr"``. ``what``
    names the role of the object in error messages (``"world"``, ``"competitor"``).
    With ``allowed_packages``, a name from another package (Palaver's own are always
    allowed) is refused before anything is imported.
    Raises :class:`TournamentConfigError` when the module or attribute is missing.
    """
    if not isinstance(name, str):
        raise TournamentConfigError(f"{what} must be a dotted name (a string), got {name!r}")
    try:
        vetting.check_allowed(name, what, allowed_packages)
    except vetting.VettingError as exc:
        raise TournamentConfigError(str(exc)) from None
    if ":" in name:
        module_name, _, attr_path = name.partition(":")
    else:
        module_name, _, attr_path = name.rpartition(".")
    if not module_name or not attr_path:
        raise TournamentConfigError(
            f"{what} {name!r} is not a dotted name like 'package.module:Name'"
        )
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise TournamentConfigError(
            f"{what} {name!r}: cannot import module {module_name!r} ({exc})"
        ) from exc
    for part in attr_path.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError as exc:
            raise TournamentConfigError(
                f"{what} {name!r}: {obj.__name__!r} has no attribute {part!r}"
            ) from exc
    return obj


def dotted_name(obj: Any) -> str:
    """The ``"module:qualname"`` name of a class or function (the inverse of resolve_name)."""
    if isinstance(obj, str):
        return obj
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if module is None or qualname is None:
        return repr(obj)
    return f"{module}:{qualname}"


def canonical_name(obj: Any) -> str:
    """The ``module:qualname`` where an object (or the object a name points to) is defined."""
    if isinstance(obj, str):
        try:
            obj = resolve_name(obj)
        except TournamentConfigError:
            return str(obj)
    return dotted_name(obj)


def short_name(obj: Any) -> str:
    if isinstance(obj, str):
        return obj.replace(":", ".").rsplit(".", 1)[-1]
    return getattr(obj, "__name__", repr(obj))


def plain_value(value: Any) -> Any:
    """A JSON-able copy of a declared value; classes and functions become dotted names."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    if isinstance(value, type) or callable(value):
        return dotted_name(value)
    return repr(value)
