"""Tag filters shared by NegMAS's registries (of classes and of scenarios)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

__all__ = ["TaggedInfo", "TaggedRegistry", "Tags", "has_tags", "tag_set"]

#: Tags given as a set, list or tuple of strings.
Tags = set[str] | list[str] | tuple[str, ...]


def tag_set(name: str, tags: Tags) -> set[str]:
    """``tags`` as a set; one string is a ``TypeError`` naming ``name``: ``set("genius")``
    is the letters, so ``tags="genius"`` registered or asked for single letters, silently."""
    if isinstance(tags, str | bytes):
        raise TypeError(f"{name} must be a set, list or tuple of tags, got the string {tags!r:.60}")
    try:
        return set(tags)
    except TypeError:  # not iterable (a number), or holding unhashable items
        raise TypeError(
            f"{name} must be a set, list or tuple of tags, got {tags!r:.60} ({type(tags).__name__})"
        ) from None


def has_tags(own: set[str], every: Tags | None, any_of: Tags | None, none_of: Tags | None) -> bool:
    """Whether ``own`` holds every tag of ``every``, one of ``any_of`` and none of ``none_of``."""
    return (
        (every is None or tag_set("tags", every) <= own)
        and (any_of is None or bool(own & tag_set("any_tags", any_of)))
        and (none_of is None or not own & tag_set("exclude_tags", none_of))
    )


class TaggedInfo:
    """The tag tests of one registration (NegMAS's ``has_tag``, ...): a base of
    the registries' info dataclasses, which hold the ``tags`` set."""

    tags: set[str]

    def has_tag(self, tag: str) -> bool:
        """Whether the registration carries ``tag``."""
        return tag in self.tags

    def has_any_tag(self, tags: Tags) -> bool:
        """Whether it carries at least one of ``tags``."""
        return bool(self.tags & tag_set("tags", tags))

    def has_all_tags(self, tags: Tags) -> bool:
        """Whether it carries every one of ``tags``."""
        return tag_set("tags", tags) <= self.tags


E = TypeVar("E", bound=TaggedInfo)


class TaggedRegistry(dict[str, E], Generic[E]):
    """Registrations by key, with NegMAS's tag queries (a base of the class and
    scenario registries)."""

    def query(
        self,
        *,
        tags: Tags | None = None,
        any_tags: Tags | None = None,
        exclude_tags: Tags | None = None,
        **criteria: Any,
    ) -> dict[str, E]:
        """The registrations with every tag of ``tags``, one of ``any_tags``, none
        of ``exclude_tags``, and each field named in ``criteria`` equal to its value."""
        return {
            key: info
            for key, info in self.items()
            if has_tags(info.tags, tags, any_tags, exclude_tags) and _fields_equal(info, criteria)
        }

    def list_tags(self) -> set[str]:
        """Every tag in use."""
        return set().union(*(info.tags for info in self.values()))

    def query_by_tag(self, tag: str) -> dict[str, E]:
        """The registrations carrying ``tag``."""
        return self.query(tags={tag})

    def list_all(self) -> list[str]:
        """Every key, in registration order."""
        return list(self)


def _fields_equal(info: object, criteria: dict[str, Any]) -> bool:
    """Whether ``info`` has each field of ``criteria``, equal to its value."""
    return all(hasattr(info, a) and getattr(info, a) == v for a, v in criteria.items())
