"""Tag filters shared by NegMAS's registries (of classes and of scenarios)."""

from __future__ import annotations

__all__ = ["Tags", "has_tags"]

#: Tags given as a set, list or tuple of strings.
Tags = set[str] | list[str] | tuple[str, ...]


def has_tags(own: set[str], every: Tags | None, any_of: Tags | None, none_of: Tags | None) -> bool:
    """Whether ``own`` holds every tag of ``every``, one of ``any_of`` and none of ``none_of``."""
    return (
        (every is None or set(every) <= own)
        and (any_of is None or bool(own & set(any_of)))
        and (none_of is None or not own & set(none_of))
    )
