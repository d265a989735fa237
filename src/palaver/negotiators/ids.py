"""The default names and ids of negotiators: repeatable numbering and the
checks a given name or id must pass."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from palaver._util.checks import is_text

__all__ = ["IdCounter", "negotiator_id_scope"]


class IdCounter:
    """Numbers the default ids of negotiators (``AspirationNegotiator-0``, ...).

    Ids come from a counter rather than uuid4 so that runs can be repeated. A
    world owns one counter and makes it current while it steps (see
    :func:`negotiator_id_scope`), so its negotiators are named the same way
    whatever ran before in the process, and a checkpoint carries the counter.
    """

    __slots__ = ("next_id",)

    def __init__(self, start: int = 0) -> None:
        self.next_id = start

    def take(self) -> int:
        """Return the next number and advance."""
        n = self.next_id
        self.next_id = n + 1
        return n


process_ids = IdCounter()
id_scope: ContextVar[IdCounter] = ContextVar("palaver_negotiator_ids")


@contextmanager
def negotiator_id_scope(counter: IdCounter) -> Iterator[IdCounter]:
    """Number the default ids of negotiators created inside the block with ``counter``.

    Outside any scope a per-process counter is used.
    """
    token = id_scope.set(counter)
    try:
        yield counter
    finally:
        id_scope.reset(token)


def check_name_and_id(name: str | None, id: str | None) -> None:
    """Refuse a name or id holding a lone surrogate: a negotiator's events carry
    them, and a recorder could then write nothing more (UnicodeEncodeError deep
    inside, close() included)."""
    for label, text in (("name", name), ("id", id)):
        if text is not None and not is_text(text):
            raise ValueError(
                f"a negotiator's {label}={text!r:.80} is not valid text (it holds a lone "
                "surrogate): give a str that can be written as UTF-8"
            )
