"""NegMAS's ``NamedObject``: a base class for things with a name, a unique id and checkpoints."""

from __future__ import annotations

import uuid as _uuid
from typing import Any

from palaver._util.snapshots import Checkpointing
from palaver.outcomes import unique_name

__all__ = ["NamedObject"]


class NamedObject(Checkpointing):
    """A named object with a system-wide unique id (NegMAS's base of named entities).

    Args:
        name: A readable name (default: 16 random letters and digits).
        id: The unique id (default: ``"<name>-<uuid4>"``, or just the uuid
            without a name). ``uuid`` is the same value.
        type_name: What :attr:`type_name` returns (default: the class's full
            dotted name).

    It has NegMAS's checkpoint methods: ``obj.checkpoint(folder, info={...})``,
    ``Class.from_checkpoint(file)`` and ``Class.checkpoint_info(file)``
    (pickles: load only files you trust).
    """

    def __init__(
        self, name: str | None = None, *, id: str | None = None, type_name: str | None = None
    ) -> None:
        if name is not None:
            name = str(name)
        if id:
            self._palaver_uuid = str(id)
        else:
            self._palaver_uuid = (f"{name}-" if name is not None else "") + str(_uuid.uuid4())
        self._palaver_name = name if name else unique_name("", add_time=False, rand_digits=16)
        self._palaver_type_name = type_name
        super().__init__()

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> Any:
        """An object of this class made with these arguments (NegMAS's ``create``)."""
        return cls(*args, **kwargs)

    @property
    def name(self) -> str:
        """The readable name."""
        return self._palaver_name

    @name.setter
    def name(self, name: str) -> None:
        self._palaver_name = name

    @property
    def id(self) -> str:
        """The unique id."""
        return self._palaver_uuid

    @id.setter
    def id(self, id: str) -> None:
        self._palaver_uuid = id

    @property
    def uuid(self) -> str:
        """The unique id (the same as :attr:`id`)."""
        return self._palaver_uuid

    @uuid.setter
    def uuid(self, uuid: str) -> None:
        self._palaver_uuid = uuid

    def set_id(self, id: str) -> None:
        """Set the unique id."""
        self._palaver_uuid = id

    @property
    def type_name(self) -> str:
        """The ``type_name`` given, else the class's full dotted name."""
        if self._palaver_type_name:
            return self._palaver_type_name
        return f"{type(self).__module__}.{type(self).__qualname__}"

    @property
    def short_type_name(self) -> str:
        """The last part of :attr:`type_name` (``"palaver.named.NamedObject"`` ->
        ``"NamedObject"``; NegMAS abbreviates it further)."""
        return self.type_name.rsplit(".", 1)[-1]
