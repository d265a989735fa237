"""Genius XML and GeniusWeb JSON: the Genius-family file methods of :class:`Scenario`.

Folders written here also hold ``_scenario.json`` (the scenario's name, info, its
ufun names and its profile files in role order); without it, a folder's profiles are
taken in file-name order and the scenario is named after the folder.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palaver.outcomes import OutcomeSpace
from palaver.preferences import UtilityFunction
from palaver.scenarios import genius, genius_write, geniusweb
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.files import read_json, write_bytes
from palaver.scenarios.folders import (
    META,
    PathLike,
    _dump,
    _encode,
    _folder,
    _ordered,
    _out_folder,
    _path,
    _paths,
    _profile_names,
    _read_meta,
    _two_parties,
    out_folder,
)
from palaver.scenarios.validate import check_flags, checked_names

if TYPE_CHECKING:
    from typing import Self

    from palaver.scenarios.stats import ScenarioStats


def name_read_ufuns(ufuns: list[UtilityFunction], names: Sequence[str]) -> list[UtilityFunction]:
    """``ufuns``, just read from files, each given its name in ``names`` unless it has
    one: NegMAS's loaded functions carry their profile's name (``ufun.name``)."""
    for ufun, name in zip(ufuns, names, strict=True):
        if ufun.name is None:
            ufun.name = name
    return ufuns


class GeniusFiles:
    """Genius and GeniusWeb import and export, named as NegMAS names them; a base of
    ``Scenario`` (through :class:`~palaver.scenarios.io.ScenarioFiles`)."""

    if TYPE_CHECKING:
        name: str
        info: dict[str, Any]
        source: Path | None

        def __init__(
            self,
            outcome_space: OutcomeSpace,
            ufuns: Sequence[UtilityFunction],
            name: str | None = None,
            info: dict[str, Any] | None = None,
            discount_factors: Sequence[float] | None = None,
            ufun_names: Sequence[str] | None = None,
            source: Path | None = None,
        ) -> None: ...

        @property
        def outcome_space(self) -> OutcomeSpace: ...
        @property
        def ufuns(self) -> tuple[UtilityFunction, ...]: ...

        _ufun_names: tuple[str, ...]

        @property
        def ufun_names(self) -> tuple[str, ...]: ...
        @property
        def discount_factors(self) -> tuple[float, ...]: ...
        @property
        def stats(self) -> ScenarioStats: ...

    # -- Genius XML -------------------------------------------------------------

    @classmethod
    def from_genius_files(
        cls,
        domain: PathLike,
        profiles: Iterable[PathLike] | None = None,
        *,
        ufuns: Iterable[PathLike] | None = None,
        name: str | None = None,
        info: dict[str, Any] | PathLike | None = None,
        ignore_discount: bool = False,
        ignore_reserved: bool = False,
        normalize_weights: bool = False,
        safe_parsing: bool = True,
    ) -> Self:
        """A scenario from a Genius domain file and profile files (one per party, in order).

        ``ufuns=`` is NegMAS's name for ``profiles`` (give one of them).
        ``info`` is a dict, or (as in NegMAS) the path of a JSON file holding
        one. ``ignore_discount`` sets every discount factor to 1;
        ``ignore_reserved`` sets every reserved value to ``-inf``;
        ``normalize_weights`` divides weights that do not sum to one by their
        sum instead of refusing them. ``safe_parsing`` is accepted for NegMAS
        scripts and changes nothing: files are always checked. The name
        defaults to the domain file's stem. Raises :class:`ScenarioError`
        naming the file and element for bad input.
        """
        del safe_parsing
        check_flags(
            "from_genius_files",
            ignore_discount=ignore_discount,
            ignore_reserved=ignore_reserved,
            normalize_weights=normalize_weights,
        )
        if (profiles is None) == (ufuns is None):
            raise ScenarioError(
                "from_genius_files: give the profile files as profiles (or ufuns=, NegMAS's "
                "name), exactly one of them"
            )
        domain_path = _path(domain)
        paths = _paths(profiles if profiles is not None else ufuns)
        _at_least_two(domain_path, paths, "profiles" if profiles is not None else "ufuns")
        info = _info(info)
        space, indices = genius.read_domain_indexed(domain_path)
        read: list[UtilityFunction] = []
        discounts = []
        for p in paths:
            ufun, discount = genius.read_profile(p, space, normalize_weights, indices)
            if ignore_reserved:
                ufun.reserved_value = -math.inf
            read.append(ufun)
            discounts.append(1.0 if ignore_discount else discount)
        if space.name is None:  # NegMAS names the space after the domain file
            space.name = domain_path.stem
        return cls(
            space,
            name_read_ufuns(read, [p.stem for p in paths]),
            name=name or domain_path.stem,
            info=info,
            discount_factors=discounts,
            ufun_names=[p.stem for p in paths],
            source=domain_path.parent,
        )

    @classmethod
    def from_genius_folder(
        cls,
        path: PathLike,
        *,
        ignore_discount: bool = False,
        ignore_reserved: bool = False,
        normalize_weights: bool = False,
        safe_parsing: bool = True,
    ) -> Self:
        """A scenario from a folder holding one Genius domain file and its profile files.

        Files are told apart by their root element; parameters as in
        :meth:`from_genius_files`. The scenario is named after the folder.
        ``safe_parsing`` is accepted for NegMAS scripts: files are always checked.
        """
        del safe_parsing
        folder = _folder(path)
        domain, profiles = genius.find_files(folder)
        if domain is None:
            raise ScenarioError(f"{folder}: no Genius domain file (<negotiation_template>)")
        if not profiles:
            raise ScenarioError(f"{folder}: no Genius profile file (<utility_space>)")
        meta = _read_meta(folder)
        _two_parties(folder, domain, profiles, "*.xml")
        return cls.from_genius_files(
            domain,
            _ordered(folder, profiles, meta),
            name=meta.get("name") or folder.name,
            info=meta.get("info"),
            ignore_discount=ignore_discount,
            ignore_reserved=ignore_reserved,
            normalize_weights=normalize_weights,
        )._with_meta(folder, meta)

    def to_genius_files(self, domain_path: PathLike, ufun_paths: Sequence[PathLike]) -> Self:
        """Write the domain and one profile per utility function to these files.

        Genius fixes the scale of a profile (see :mod:`palaver.scenarios.canonical`):
        a utility function not in that scale is written as the positive affine
        image of itself that is (same preferences and solution outcomes,
        reserved value mapped alike). Scenarios read from Genius are written
        back unchanged. Returns the scenario. A scenario of fewer than two
        utility functions, or paths that are not distinct (one file would
        overwrite another), are refused (:class:`ScenarioError`) before
        anything is written: :meth:`from_genius_files` would not read it back.
        """
        _writable_parties(self.ufun_names, "to_genius_files", "Genius XML")
        paths = _paths(ufun_paths)
        if len(paths) != len(self.ufuns):
            raise ScenarioError(f"{len(paths)} profile paths for {len(self.ufuns)} ufuns")
        every = [_path(domain_path), *paths]
        resolved = [p.resolve() for p in every]
        if len(set(resolved)) != len(resolved):
            raise ScenarioError(
                f"to_genius_files: the domain and profile paths {[str(p) for p in every]} are "
                "not distinct: one file would be written over another"
            )
        genius_write.write_scenario(
            self.outcome_space,
            self.ufuns,
            self.ufun_names,
            self.discount_factors,
            self.name,
            _path(domain_path),
            paths,
        )
        return self

    def to_genius_folder(self, path: PathLike) -> Self:
        """Write ``domain.xml``, one ``<ufun name>.xml`` per party and ``_scenario.json``.

        As :meth:`to_genius_files`: a scenario of fewer than two utility
        functions is refused before the folder is made.
        """
        _writable_parties(self.ufun_names, "to_genius_folder", "Genius XML")
        files = _profile_names(self.ufun_names, ".xml", "domain.xml")
        meta = self._meta(_path(path), files)  # an info JSON cannot hold: refused first
        with out_folder(path) as folder:
            self.to_genius_files(folder / "domain.xml", [folder / f for f in files])
        write_bytes(folder / META, meta)
        return self

    # -- GeniusWeb JSON -----------------------------------------------------------

    @classmethod
    def from_geniusweb_files(
        cls,
        domain: PathLike,
        profiles: Iterable[PathLike] | None = None,
        *,
        ufuns: Iterable[PathLike] | None = None,
        name: str | None = None,
        info: dict[str, Any] | PathLike | None = None,
        ignore_discount: bool = False,
        ignore_reserved: bool = False,
        normalize_weights: bool = False,
        safe_parsing: bool = True,
    ) -> Self:
        """A scenario from a GeniusWeb domain file and linear-additive profile files.

        As for :meth:`from_genius_files`: ``ufuns=`` is NegMAS's name for
        ``profiles`` (give one of them); ``info`` is a dict or the path of a
        JSON file holding one; ``ignore_reserved`` sets every reserved value to
        ``-inf``; ``normalize_weights`` divides weights that do not sum to one
        by their sum instead of refusing them. ``ignore_discount`` and
        ``safe_parsing`` are accepted for NegMAS scripts and change nothing:
        GeniusWeb profiles have no discount factor, and files are always checked.
        """
        del safe_parsing
        check_flags(
            "from_geniusweb_files",
            ignore_discount=ignore_discount,
            ignore_reserved=ignore_reserved,
            normalize_weights=normalize_weights,
        )
        if (profiles is None) == (ufuns is None):
            raise ScenarioError(
                "from_geniusweb_files: give the profile files as profiles (or ufuns=, NegMAS's "
                "name), exactly one of them"
            )
        info = _info(info)
        domain_path = _path(domain)
        paths = _paths(profiles if profiles is not None else ufuns)
        _at_least_two(domain_path, paths, "profiles" if profiles is not None else "ufuns")
        space, domain_name = geniusweb.read_domain(domain_path)
        read = []
        for p in paths:
            ufun, _ = geniusweb.read_profile(p, space, domain_name, normalize_weights)
            if ignore_reserved:
                ufun.reserved_value = -math.inf
            read.append(ufun)
        return cls(
            space,
            name_read_ufuns(read, [p.stem for p in paths]),
            name=name or domain_name,
            info=info,
            ufun_names=[p.stem for p in paths],
            source=domain_path.parent,
        )

    @classmethod
    def from_geniusweb_folder(
        cls,
        path: PathLike,
        *,
        ignore_discount: bool = False,
        ignore_reserved: bool = False,
        normalize_weights: bool = False,
        safe_parsing: bool = True,
        use_reserved_outcome: bool = False,
    ) -> Self:
        """A scenario from a folder holding a GeniusWeb domain file and its profiles
        (options as in :meth:`from_geniusweb_files`).

        NegMAS's ``use_reserved_outcome=True`` (keep a profile's reservation
        bid as the utility function's reserved *outcome*) is refused: Palaver's
        utility functions hold a reserved value, here the bid's utility (what
        NegMAS does with ``use_reserved_outcome=False``, the default).
        """
        del safe_parsing
        check_flags(
            "from_geniusweb_folder",
            ignore_discount=ignore_discount,
            use_reserved_outcome=use_reserved_outcome,
        )
        if use_reserved_outcome:
            raise ScenarioError(
                "from_geniusweb_folder: use_reserved_outcome=True is not supported: Palaver's "
                "utility functions hold a reserved value (the reservation bid's utility), not "
                "a reserved outcome; use use_reserved_outcome=False (the default)"
            )
        folder = _folder(path)
        domain, profiles = geniusweb.find_files(folder)
        if domain is None:
            raise ScenarioError(f"{folder}: no GeniusWeb domain file (with 'issuesValues')")
        if not profiles:
            raise ScenarioError(f"{folder}: no GeniusWeb profile ({geniusweb.PROFILE_KEY!r})")
        meta = _read_meta(folder)
        _two_parties(folder, domain, profiles, "*.json")
        return cls.from_geniusweb_files(
            domain,
            _ordered(folder, profiles, meta),
            name=meta.get("name") or folder.name,
            info=meta.get("info"),
            ignore_reserved=ignore_reserved,
            normalize_weights=normalize_weights,
        )._with_meta(folder, meta)

    def to_geniusweb_folder(self, path: PathLike) -> Self:
        """Write ``domain.json``, one ``<ufun name>.json`` profile per party and ``_scenario.json``.

        Profiles are rescaled as for Genius XML (utilities in ``[0, 1]``,
        weights summing to one). GeniusWeb stores a reservation *bid*: the
        worst outcome whose utility is at least the reserved value is written,
        so the reserved value read back is that outcome's utility. Discount
        factors are not part of GeniusWeb profiles and are not written. An
        integer or discretized issue is a GeniusWeb range (``low``, ``high``,
        ``step``), valued by a line: one valued by a table that is not a line,
        a discretized issue whose values are not evenly spaced, or an issue of
        a single value, is refused (:class:`ScenarioError` naming the utility
        function and the issue) before any file is written, as is a continuous
        issue (GeniusWeb has none: :meth:`discretize` first). A categorical
        issue's values are written as text (GeniusWeb's discrete values are
        strings), so non-string values read back as strings. Refused too: a
        scenario of fewer than two utility functions
        (:meth:`from_geniusweb_folder` would not read it back).
        """
        _writable_parties(self.ufun_names, "to_geniusweb_folder", "GeniusWeb JSON")
        files = _profile_names(self.ufun_names, ".json", "domain.json")
        # Everything is made before anything is written: a refused profile leaves no files.
        meta = self._meta(_path(path), files)
        domain = geniusweb.domain_json(self.outcome_space, self.name)
        profiles = [
            geniusweb.profile_json(ufun, self.outcome_space, n, self.name)
            for ufun, n in zip(self.ufuns, self.ufun_names, strict=True)
        ]
        folder = _out_folder(path)
        _dump(folder / "domain.json", domain)
        for f, profile in zip(files, profiles, strict=True):
            _dump(folder / f, profile)
        write_bytes(folder / META, meta)
        return self

    def _meta(self, folder: Path, files: list[str]) -> bytes:
        """The text of the folder's ``_scenario.json``: name, info, profile files and
        ufun names (a profile file is named after its ufun, but with the characters
        a file name cannot hold replaced: "buyer 1" -> buyer_1.xml)."""
        meta = {"name": self.name, "info": self.info, "profiles": files}
        return _encode(folder / META, {**meta, "ufun_names": list(self.ufun_names)})

    def _with_meta(self, folder: Path, meta: dict[str, Any]) -> Self:
        """Read from ``folder``: its source, and the ufun names its ``_scenario.json`` lists."""
        self.source = folder
        names = meta.get("ufun_names")
        if names is not None:
            try:
                self._ufun_names = checked_names(names, len(self.ufun_names))
            except ScenarioError as exc:
                raise ScenarioError(f"{folder / META}: ufun_names: {exc}") from None
        return self


def _info(info: dict[str, Any] | PathLike | None) -> dict[str, Any] | None:
    """A scenario's info given as a dict, or (as in NegMAS) the path of a JSON file."""
    if not isinstance(info, str | Path):
        return info
    info_path = _path(info)
    data = read_json(info_path)
    if not isinstance(data, dict):
        raise ScenarioError(f"{info_path}: expected a JSON object (the scenario's info)")
    return data


def _writable_parties(names: Sequence[str], method: str, fmt: str) -> None:
    """Refuse to write a scenario of fewer than two parties in a format whose loader
    refuses it: what Palaver writes, Palaver reads back."""
    if len(names) < 2:
        raise ScenarioError(
            f"{method}: the scenario has {len(names)} utility function ({list(names)}); "
            f"{fmt} is written with one profile per party and needs at least two, as "
            "the loaders refuse fewer (a negotiation needs two parties). Add a party, "
            "or write Palaver JSON (to_json, or dumpas(folder, type='json')), which "
            "keeps any number of utility functions"
        )


def _at_least_two(domain: Path, paths: list[Path], parameter: str) -> None:
    """Refuse fewer than two profile files: a negotiation needs two parties."""
    if len(paths) < 2:
        raise ScenarioError(
            f"{domain}: {parameter} must list at least two profile files (one per party: a "
            f"negotiation needs two), got {len(paths)}: {[str(p) for p in paths]}"
        )
