"""Tag filters shared by NegMAS's registries (of classes and of scenarios)."""

from __future__ import annotations

__all__ = ["Tags", "has_tags", "tag_set"]

#: Tags given as a set, list or tuple of strings.
Tags = set[str] | list[str] | tuple[str, ...]


def tag_set(name: str, tags: Tags) -> set[str]:
    """``tags`` as a set; one string is a ``TypeError`` naming ``name``: ``set("genius")``
    is the letters, so ``tags="genius"`` registered or asked for single letters, silently."""
    if isinstance(tags, str | bytes):
        raise TypeError(f"{name} must be a set, list or tuple of tags, got the string {tags!r:.60}")
    return set(tags)


def has_tags(own: set[str], every: Tags | None, any_of: Tags | None, none_of: Tags | None) -> bool:
    """Whether ``own`` holds every tag of ``every``, one of ``any_of`` and none of ``none_of``."""
    return (
        (every is None or tag_set("tags", every) <= own)
        and (any_of is None or bool(own & tag_set("any_tags", any_of)))
        and (none_of is None or not own & tag_set("exclude_tags", none_of))
    )
