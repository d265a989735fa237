"""NegMAS's registries of classes: mechanisms, negotiators and components by name and tag.

A :class:`Registry` is a ``dict`` from a unique key (``"<short name>#<8 hex
digits>"``) to a :class:`RegistryInfo` saying what is registered: the class,
its short and full names, where it comes from, default constructor ``params``
and ``tags`` to select by. A class may be registered several times (with
other parameters); each registration has its own key. ``palaver.negmas``
exposes the three registries NegMAS has (``mechanism_registry``,
``negotiator_registry``, ``component_registry``), empty until code registers
classes (with :meth:`Registry.register` or the ``register_*`` decorators);
scenarios have their own registry (:mod:`palaver.scenarios.registry`).
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from palaver._util.imports import import_dotted
from palaver._util.tags import TaggedInfo, TaggedRegistry, Tags, tag_set

__all__ = [
    "ComponentInfo",
    "MechanismInfo",
    "NegotiatorInfo",
    "Registry",
    "RegistryInfo",
    "class_named",
    "component_registry",
    "get_registered_class",
    "mechanism_registry",
    "negotiator_registry",
    "register_component",
    "register_mechanism",
    "register_negotiator",
]


@dataclass
class RegistryInfo(TaggedInfo):
    """One registration: the class, its names, origin, default parameters and tags."""

    key: str
    short_name: str
    full_type_name: str
    cls: type
    source: str = "unknown"
    description: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    tags: set[str] = field(default_factory=set)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class MechanismInfo(RegistryInfo):
    """A registered mechanism (tags such as ``"requires-deadline"``, ``"sao"``)."""


@dataclass
class NegotiatorInfo(RegistryInfo):
    """A registered negotiator (tags such as ``"bilateral-only"``, ``"learning"``,
    ``"anac-2019"``)."""


@dataclass
class ComponentInfo(RegistryInfo):
    """A registered negotiator component; ``component_type`` is also a tag unless
    it is ``"generic"``."""

    component_type: str = "generic"


# NegMAS's boolean keywords of register(), each standing for a tag when true.
_FLAG_TAGS = {
    "requires_deadline": "requires-deadline",
    "bilateral_only": "bilateral-only",
    "requires_opponent_ufun": "requires-opponent-ufun",
    "learns": "learning",
    "supports_uncertainty": "supports-uncertainty",
    "supports_discounting": "supports-discounting",
}

T = TypeVar("T", bound=RegistryInfo)


def _full_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def class_named(name: str) -> type | None:
    """The class a dotted name stands for, or None when there is none."""
    try:
        found = import_dotted(name)
    except (ImportError, ValueError):
        return None
    return found if isinstance(found, type) else None


class Registry(TaggedRegistry[T]):
    """Registered classes by unique key, with queries by class, name and tag."""

    def __init__(self, info_class: type[T]) -> None:
        super().__init__()
        self._info_class = info_class
        self._by_class: dict[type, list[str]] = {}

    def register(
        self,
        cls: type | str,
        short_name: str | None = None,
        source: str = "unknown",
        description: str | None = None,
        params: Mapping[str, Any] | None = None,
        tags: Tags | None = None,
        **kwargs: Any,
    ) -> str:
        """Register ``cls`` (a class, or its dotted name) and return its new key.

        ``short_name`` defaults to the class name, ``description`` to its
        docstring. NegMAS's flags (``requires_deadline``, ``bilateral_only``,
        ``requires_opponent_ufun``, ``learns``, ``supports_uncertainty``,
        ``supports_discounting``) add their tag when true, ``anac_year=y``
        adds ``"anac-y"``; ``extra`` is a dict kept as it is, and other
        keywords are fields of the info class (``component_type``).
        """
        return self._add(None, cls, short_name, source, description, params, tags, **kwargs)

    def _add(
        self,
        key: str | None,
        cls: type | str,
        short_name: str | None,
        source: str,
        description: str | None,
        params: Mapping[str, Any] | None,
        tags: Tags | None,
        **kwargs: Any,
    ) -> str:
        """:meth:`register` under ``key``, or under a new key when ``None``
        (``load_registry`` keeps the keys it saved, so that loading a folder
        twice finds its entries)."""
        if isinstance(cls, str):
            resolved = class_named(cls)
            if resolved is None:
                raise ValueError(f"register: no class is named {cls!r}")
            full_name, cls = cls, resolved
        elif isinstance(cls, type):
            full_name = _full_name(cls)
        else:
            raise TypeError(f"register: cls must be a class or its dotted name, got {cls!r:.80}")
        name = cls.__name__ if short_name is None else short_name
        own_tags = tag_set("tags", tags) if tags is not None else set()
        for keyword, tag in _FLAG_TAGS.items():
            if kwargs.pop(keyword, False):
                own_tags.add(tag)
        year = kwargs.pop("anac_year", None)
        if year is not None:
            own_tags.add(f"anac-{year}")
        if kwargs.get("component_type", "generic") != "generic":
            own_tags.add(kwargs["component_type"])
        if key is None:
            key = f"{name}#{uuid.uuid4().hex[:8]}"
            while key in self:  # 8 hex digits: unlikely, but a clash would replace an entry
                key = f"{name}#{uuid.uuid4().hex[:8]}"
        elif key in self:
            raise ValueError(f"register: the key {key!r} is already registered")
        self[key] = self._info_class(
            key=key,
            short_name=name,
            full_type_name=full_name,
            cls=cls,
            source=source,
            description=(inspect.getdoc(cls) or "") if description is None else description,
            params=dict(params or {}),
            tags=own_tags,
            extra=dict(kwargs.pop("extra", None) or {}),
            **kwargs,
        )
        self._by_class.setdefault(cls, []).append(key)
        return key

    def clear(self) -> None:
        """Remove every registration."""
        super().clear()
        self._by_class.clear()

    def _class(self, cls: type | str) -> type | None:
        return class_named(cls) if isinstance(cls, str) else cls

    def unregister(self, cls_or_key: type | str) -> bool:
        """Remove one registration (by key) or every registration of a class (by
        class or dotted name); whether anything was removed."""
        if isinstance(cls_or_key, str) and cls_or_key in self:
            info = self.pop(cls_or_key)
            keys = self._by_class.get(info.cls, [])
            if cls_or_key in keys:
                keys.remove(cls_or_key)
            if not keys:
                self._by_class.pop(info.cls, None)
            return True
        if isinstance(cls_or_key, str) and "#" in cls_or_key:
            return False
        cls = self._class(cls_or_key)
        keys = self._by_class.pop(cls, []) if cls is not None else []
        for key in keys:
            self.pop(key, None)
        return bool(keys)

    def get_by_class(self, cls: type | str) -> T | None:
        """The first registration of a class (or dotted name), or None."""
        found = self.get_all_by_class(cls)
        return found[0] if found else None

    def get_all_by_class(self, cls: type | str) -> list[T]:
        """Every registration of a class (or dotted name), oldest first."""
        resolved = self._class(cls)
        # Entries deleted with the dict API (del registry[key]) are skipped.
        keys = self._by_class.get(resolved, []) if resolved else []
        return [self[k] for k in keys if k in self]

    def is_registered(self, cls: type | str) -> bool:
        """Whether a class (or dotted name) has a registration."""
        return bool(self.get_all_by_class(cls))

    def get_by_short_name(self, short_name: str) -> list[T]:
        """The registrations of that short name."""
        return [info for info in self.values() if info.short_name == short_name]

    def _find(self, key_or_name: str) -> T | None:
        if key_or_name in self:
            return self[key_or_name]
        named = self.get_by_short_name(key_or_name)
        if named:
            return named[0]
        return next((i for i in self.values() if i.full_type_name == key_or_name), None)

    def get_class(self, key_or_name: str) -> type | None:
        """The class of a key, short name or full type name, or None."""
        info = self._find(key_or_name)
        return None if info is None else info.cls

    def create(self, key_or_name: str, **override_params: Any) -> Any:
        """An instance of a registered class: its ``params`` updated by
        ``override_params``; ``KeyError`` when nothing has that key or name."""
        info = self._find(key_or_name)
        if info is None:
            raise KeyError(f"No registration found for: {key_or_name}")
        return info.cls(**{**info.params, **override_params})

    def register_many(
        self, registrations: Iterable[Mapping[str, Any]], source: str | None = None
    ) -> list[str]:
        """:meth:`register` each mapping (``cls`` and keywords); ``source`` is the
        default source. Returns the keys."""
        keys = []
        for registration in registrations:
            options = dict(registration)
            if source is not None:
                options.setdefault("source", source)
            keys.append(self.register(options.pop("cls"), **options))
        return keys

    def unregister_many(self, keys_or_classes: Iterable[str | type]) -> int:
        """:meth:`unregister` each; how many removed something."""
        return sum(self.unregister(item) for item in keys_or_classes)


def get_registered_class(name: str, registry: Registry[Any]) -> type | None:
    """The class a short name, full type name or key stands for in ``registry``."""
    return registry.get_class(name)


def class_decorator(registry: Registry[Any], cls: type | None, options: dict[str, Any]) -> Any:
    """NegMAS's ``@register_x`` and ``@register_x(...)``: register the class with
    ``options`` and return it unchanged."""

    def decorate(target: type) -> type:
        registry.register(target, **options)
        return target

    return decorate(cls) if cls is not None else decorate


#: NegMAS's registries (filled by code that registers classes).
mechanism_registry: Registry[MechanismInfo] = Registry(MechanismInfo)
negotiator_registry: Registry[NegotiatorInfo] = Registry(NegotiatorInfo)
component_registry: Registry[ComponentInfo] = Registry(ComponentInfo)


def register_mechanism(
    cls: type | None = None,
    *,
    short_name: str | None = None,
    source: str = "unknown",
    params: dict[str, Any] | None = None,
    requires_deadline: bool = True,
    tags: Tags | None = None,
    **extra: Any,
) -> Any:
    """Register a mechanism class in :data:`mechanism_registry` (as ``@register_mechanism``
    or ``@register_mechanism(...)``); other keywords go to its ``extra``."""
    options = dict(short_name=short_name, source=source, params=params, tags=tags, extra=extra)
    return class_decorator(
        mechanism_registry, cls, {**options, "requires_deadline": requires_deadline}
    )


def register_negotiator(
    cls: type | None = None,
    *,
    short_name: str | None = None,
    source: str = "unknown",
    params: dict[str, Any] | None = None,
    bilateral_only: bool = False,
    requires_opponent_ufun: bool = False,
    learns: bool = False,
    anac_year: int | None = None,
    supports_uncertainty: bool = False,
    supports_discounting: bool = False,
    tags: Tags | None = None,
    **extra: Any,
) -> Any:
    """Register a negotiator class in :data:`negotiator_registry`; the flags add
    NegMAS's tags (see :meth:`Registry.register`)."""
    flags = dict(
        bilateral_only=bilateral_only,
        requires_opponent_ufun=requires_opponent_ufun,
        learns=learns,
        anac_year=anac_year,
        supports_uncertainty=supports_uncertainty,
        supports_discounting=supports_discounting,
    )
    options = dict(short_name=short_name, source=source, params=params, tags=tags, extra=extra)
    return class_decorator(negotiator_registry, cls, {**options, **flags})


def register_component(
    cls: type | None = None,
    *,
    short_name: str | None = None,
    source: str = "unknown",
    params: dict[str, Any] | None = None,
    component_type: str = "generic",
    tags: Tags | None = None,
    **extra: Any,
) -> Any:
    """Register a component class in :data:`component_registry` (``component_type``
    is also a tag unless ``"generic"``)."""
    options = dict(short_name=short_name, source=source, params=params, tags=tags, extra=extra)
    return class_decorator(component_registry, cls, {**options, "component_type": component_type})
