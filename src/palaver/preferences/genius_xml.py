"""NegMAS's Genius XML methods of one utility function: ``to_xml_str``,
``to_genius``, ``from_xml_str`` and ``from_genius``.

The Genius reader and writer live in :mod:`palaver.scenarios`, a layer above
this one (it may import preferences, not the reverse). It registers them here
with :func:`register_genius_codec` when it is imported, which
``palaver.negmas`` and ``palaver.scenarios`` users have always done; before
that, these methods raise an ``ImportError`` saying what to import.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from palaver._util.checks import check_bool
from palaver.outcomes import Issue

if TYPE_CHECKING:
    from palaver.preferences.base import UtilityFunction

__all__ = ["GeniusProfileCodec", "GeniusXmlMethods", "register_genius_codec"]


class GeniusProfileCodec(Protocol):
    """What :mod:`palaver.scenarios` provides: a Genius profile as text and as a file."""

    def to_text(
        self,
        ufun: UtilityFunction,
        issues: Iterable[Issue] | None,
        discount_factor: float | None,
    ) -> str:
        """The Genius profile XML of ``ufun`` over ``issues`` (its own space when None)."""
        ...

    def from_text(
        self,
        text: str | bytes,
        issues: Iterable[Issue],
        where: str,
        ignore_reserved: bool,
    ) -> tuple[UtilityFunction, float]:
        """The utility function and discount factor of a profile's XML (``where``
        names it in errors)."""
        ...

    def read(self, path: Path) -> bytes:
        """A profile file's bytes, read as the scenario loaders read files."""
        ...

    def write(self, path: Path, text: str) -> None:
        """Write a profile file, as the scenario writers write files."""
        ...


_codec: GeniusProfileCodec | None = None


def register_genius_codec(codec: GeniusProfileCodec) -> None:
    """Use ``codec`` for the Genius methods of every utility function
    (:mod:`palaver.scenarios` registers its reader and writer on import)."""
    global _codec
    _codec = codec


def _genius() -> GeniusProfileCodec:
    if _codec is None:
        raise ImportError(
            "Genius XML is read and written by palaver.scenarios: import palaver.scenarios "
            "(or palaver.negmas) first"
        )
    return _codec


def _path(file_name: object) -> Path:
    if not isinstance(file_name, str | PathLike):
        raise TypeError(
            f"file_name must be a path (str or os.PathLike), got {type(file_name).__name__}"
        )
    return Path(file_name)


def _xml_path(file_name: PathLike[str] | str) -> Path:
    """``file_name`` as a path; without a suffix it gets ``.xml``, as in NegMAS."""
    path = _path(file_name)
    return path.with_suffix(".xml") if path.suffix == "" else path


class GeniusXmlMethods:
    """NegMAS's methods that read and write one utility function as a Genius profile.

    A profile holds a linear-additive function whose weights sum to one and
    whose evaluations lie in ``[0, 1]``: a linear-additive (or linear, or
    affinely scaled) utility function is written as the profile of the same
    preferences (see ``palaver.scenarios.canonical``), and so is any utility
    function over one discrete issue (as a table); others are refused with a
    ``ScenarioError``. Reading keeps Genius's meaning (discrete evaluations
    divided by their largest, as ``Scenario.from_genius_folder`` reads them).
    """

    @classmethod
    def from_xml_str(
        cls,
        xml_str: str | bytes,
        issues: Iterable[Issue],
        safe_parsing: bool = True,
        ignore_discount: bool = False,
        ignore_reserved: bool = False,
        name: str | None = None,
    ) -> tuple[UtilityFunction, float | None]:
        """The utility function of a Genius profile given as XML text, and its
        discount factor (``None`` with ``ignore_discount=True``; 1 when the
        profile has none).

        ``issues`` are the domain's (``Scenario.issues``, or the first item of
        ``issues_from_xml_str``); the profile's issues are tied to them by
        name. ``ignore_reserved=True`` leaves the reserved value at ``-inf``
        (none); ``name`` names the utility function. ``safe_parsing=False``
        (NegMAS's looser reading) is refused: files are read strictly, each
        error naming the element at fault.
        """
        _strict(safe_parsing)
        if not isinstance(xml_str, str | bytes):
            raise TypeError(f"xml_str must be the XML text (a str), got {type(xml_str).__name__}")
        return _read(xml_str, issues, "<xml text>", ignore_discount, ignore_reserved, name)

    @classmethod
    def from_genius(
        cls,
        file_name: PathLike[str] | str,
        issues: Iterable[Issue],
        safe_parsing: bool = True,
        ignore_discount: bool = False,
        ignore_reserved: bool = False,
        name: str | None = None,
    ) -> tuple[UtilityFunction, float | None]:
        """:meth:`from_xml_str` of a Genius profile file; the utility function is
        named after the file's stem unless ``name`` is given."""
        _strict(safe_parsing)
        path = _path(file_name)
        text = _genius().read(path)
        name = path.stem if name is None else name
        return _read(text, issues, str(path), ignore_discount, ignore_reserved, name)

    def to_xml_str(
        self, issues: Iterable[Issue] | None = None, discount_factor: float | None = None
    ) -> str:
        """This utility function as a Genius profile's XML text, over ``issues``
        (its own outcome space's when None); ``discount_factor`` is written
        when given. The reserved value is written as it is (``-Infinity`` for
        none, which Genius and Palaver read back as no reservation)."""
        return _genius().to_text(self, issues, discount_factor)  # type: ignore[arg-type]

    def to_genius(
        self,
        file_name: PathLike[str] | str,
        issues: Iterable[Issue] | None = None,
        discount_factor: float | None = None,
    ) -> None:
        """Write :meth:`to_xml_str` to the file ``file_name`` (``.xml`` is added
        when it has no suffix)."""
        codec = _genius()
        codec.write(_xml_path(file_name), codec.to_text(self, issues, discount_factor))  # type: ignore[arg-type]


def _strict(safe_parsing: object) -> None:
    if not check_bool("safe_parsing", safe_parsing):
        raise ValueError(
            "safe_parsing=False is not supported: Palaver reads a profile strictly "
            "(errors name the element at fault)"
        )


def _read(
    text: str | bytes,
    issues: Iterable[Issue],
    where: str,
    ignore_discount: object,
    ignore_reserved: object,
    name: str | None,
) -> tuple[UtilityFunction, float | None]:
    skip_discount = check_bool("ignore_discount", ignore_discount)
    skip_reserved = check_bool("ignore_reserved", ignore_reserved)
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a str or None, got {type(name).__name__}")
    ufun, discount = _genius().from_text(text, issues, where, skip_reserved)
    if name is not None:
        ufun.name = name
    return ufun, None if skip_discount else discount
