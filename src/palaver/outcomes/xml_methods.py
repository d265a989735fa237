"""NegMAS's ``CartesianOutcomeSpace.from_xml_str`` / ``to_xml_str``: an outcome
space as a Genius domain's XML text.

The Genius domain reader and writer live in :mod:`palaver.scenarios`, a layer
above this one; it registers them here with :func:`register_domain_codec`
when imported (``palaver.negmas`` and ``palaver.scenarios`` users always
have). Before that, these methods raise an ``ImportError`` saying what to import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from palaver._util.checks import check_bool

if TYPE_CHECKING:
    from palaver.outcomes.base import Issue
    from palaver.outcomes.space import OutcomeSpace

__all__ = ["DomainXmlMethods", "register_domain_codec"]

_read: Callable[[str | bytes], Sequence[Issue]] | None = None
_write: Callable[[Sequence[Issue]], str] | None = None


def register_domain_codec(
    read: Callable[[str | bytes], Sequence[Issue]], write: Callable[[Sequence[Issue]], str]
) -> None:
    """Read (text to issues) and write (issues to text) Genius domains with these."""
    global _read, _write
    _read, _write = read, write


def _missing() -> ImportError:
    return ImportError(
        "Genius XML is read and written by palaver.scenarios: import palaver.scenarios "
        "(or palaver.negmas) first"
    )


class DomainXmlMethods:
    """NegMAS's Genius-domain methods of an outcome space."""

    if TYPE_CHECKING:

        @property
        def issues(self) -> tuple[Issue, ...]:
            """The issues (``OutcomeSpace.issues``)."""
            ...

    @classmethod
    def from_xml_str(
        cls, xml_str: str | bytes, safe_parsing: bool = True, name: str | None = None, **kwargs: Any
    ) -> OutcomeSpace:
        """The outcome space of a Genius domain given as XML text (its issues as
        ``issues_from_xml_str`` reads them), named ``name``. NegMAS's other
        keywords change nothing; ``safe_parsing=False`` is refused (domains are
        read strictly)."""
        if not check_bool("safe_parsing", safe_parsing):
            raise ValueError("safe_parsing=False is not supported: Palaver reads a domain strictly")
        if _read is None:
            raise _missing()
        return cls(_read(xml_str), name=name)  # type: ignore[call-arg, return-value]

    def to_xml_str(self, **kwargs: Any) -> str:
        """This space as a Genius domain's XML text (``issues_to_xml_str``)."""
        if _write is None:
            raise _missing()
        return _write(self.issues)
