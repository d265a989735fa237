"""Reading and writing scenarios: the file methods of :class:`Scenario`.

Folders written by Palaver also hold ``_scenario.json`` (the scenario's name,
info and the profile files in role order); without it, a folder's profiles
are taken in file-name order and the scenario is named after the folder. A
NegMAS ``_info.json`` next to the files is read as the scenario's info.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palaver.outcomes import OutcomeSpace
from palaver.preferences import UtilityFunction
from palaver.scenarios import genius, geniusweb, native
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.files import read_json
from palaver.scenarios.folders import (
    FORMATS,
    META,
    PathLike,
    _dump,
    _folder,
    _is_native_file,
    _ordered,
    _out_folder,
    _path,
    _paths,
    _profile_names,
    _read_meta,
    _safe,
    _two_parties,
)

if TYPE_CHECKING:
    from typing import Self

    from palaver.scenarios.stats import ScenarioStats


class ScenarioFiles:
    """Import and export methods, named as NegMAS names them; mixed into ``Scenario``."""

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
        if (profiles is None) == (ufuns is None):
            raise ScenarioError(
                "from_genius_files: give the profile files as profiles (or ufuns=, NegMAS's "
                "name), exactly one of them"
            )
        domain_path = _path(domain)
        paths = _paths(profiles if profiles is not None else ufuns)
        if isinstance(info, str | Path):
            info_path = _path(info)
            info = read_json(info_path)
            if not isinstance(info, dict):
                raise ScenarioError(f"{info_path}: expected a JSON object (the scenario's info)")
        if not paths:
            raise ScenarioError(f"{domain_path}: no profile files given")
        space = genius.read_domain(domain_path)
        read: list[UtilityFunction] = []
        discounts = []
        for p in paths:
            ufun, discount = genius.read_profile(p, space, normalize_weights)
            if ignore_reserved:
                ufun.reserved_value = -math.inf
            read.append(ufun)
            discounts.append(1.0 if ignore_discount else discount)
        return cls(
            space,
            read,
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
        _two_parties(folder, domain, profiles, meta, "*.xml")
        return cls.from_genius_files(
            domain,
            _ordered(folder, profiles, meta),
            name=meta.get("name") or folder.name,
            info=meta.get("info"),
            ignore_discount=ignore_discount,
            ignore_reserved=ignore_reserved,
            normalize_weights=normalize_weights,
        )._with_source(folder)

    def to_genius_files(self, domain_path: PathLike, ufun_paths: Sequence[PathLike]) -> Self:
        """Write the domain and one profile per utility function to these files.

        Genius fixes the scale of a profile (see :mod:`palaver.scenarios.canonical`):
        a utility function not in that scale is written as the positive affine
        image of itself that is (same preferences and solution outcomes,
        reserved value mapped alike). Scenarios read from Genius are written
        back unchanged. Returns the scenario.
        """
        paths = _paths(ufun_paths)
        if len(paths) != len(self.ufuns):
            raise ScenarioError(f"{len(paths)} profile paths for {len(self.ufuns)} ufuns")
        genius.write_scenario(
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
        """Write ``domain.xml``, one ``<ufun name>.xml`` per party and ``_scenario.json``."""
        folder = _out_folder(path)
        files = _profile_names(self.ufun_names, ".xml", "domain.xml")
        self.to_genius_files(folder / "domain.xml", [folder / f for f in files])
        self._write_meta(folder, files)
        return self

    # -- GeniusWeb JSON -----------------------------------------------------------

    @classmethod
    def from_geniusweb_files(
        cls,
        domain: PathLike,
        profiles: Iterable[PathLike],
        *,
        name: str | None = None,
        info: dict[str, Any] | None = None,
        ignore_reserved: bool = False,
    ) -> Self:
        """A scenario from a GeniusWeb domain file and linear-additive profile files."""
        domain_path = _path(domain)
        paths = _paths(profiles)
        if not paths:
            raise ScenarioError(f"{domain_path}: no profile files given")
        space, domain_name = geniusweb.read_domain(domain_path)
        ufuns = []
        for p in paths:
            ufun, _ = geniusweb.read_profile(p, space, domain_name)
            if ignore_reserved:
                ufun.reserved_value = -math.inf
            ufuns.append(ufun)
        return cls(
            space,
            ufuns,
            name=name or domain_name,
            info=info,
            ufun_names=[p.stem for p in paths],
            source=domain_path.parent,
        )

    @classmethod
    def from_geniusweb_folder(cls, path: PathLike, *, ignore_reserved: bool = False) -> Self:
        """A scenario from a folder holding a GeniusWeb domain file and its profiles."""
        folder = _folder(path)
        domain, profiles = geniusweb.find_files(folder)
        if domain is None:
            raise ScenarioError(f"{folder}: no GeniusWeb domain file (with 'issuesValues')")
        if not profiles:
            raise ScenarioError(f"{folder}: no GeniusWeb profile ({geniusweb.PROFILE_KEY!r})")
        meta = _read_meta(folder)
        _two_parties(folder, domain, profiles, meta, "*.json")
        return cls.from_geniusweb_files(
            domain,
            _ordered(folder, profiles, meta),
            name=meta.get("name") or folder.name,
            info=meta.get("info"),
            ignore_reserved=ignore_reserved,
        )._with_source(folder)

    def to_geniusweb_folder(self, path: PathLike) -> Self:
        """Write ``domain.json``, one ``<ufun name>.json`` profile per party and ``_scenario.json``.

        Profiles are rescaled as for Genius XML (utilities in ``[0, 1]``,
        weights summing to one). GeniusWeb stores a reservation *bid*: the
        worst outcome whose utility is at least the reserved value is written,
        so the reserved value read back is that outcome's utility. Discount
        factors are not part of GeniusWeb profiles and are not written.
        """
        folder = _out_folder(path)
        files = _profile_names(self.ufun_names, ".json", "domain.json")
        _dump(folder / "domain.json", geniusweb.domain_json(self.outcome_space, self.name))
        for ufun, f, n in zip(self.ufuns, files, self.ufun_names, strict=True):
            _dump(folder / f, geniusweb.profile_json(ufun, self.outcome_space, n, self.name))
        self._write_meta(folder, files)
        return self

    # -- Palaver JSON, detection --------------------------------------------------

    @classmethod
    def from_json(cls, path: PathLike) -> Self:
        """A scenario from a file in Palaver's own JSON format (see :mod:`~.native`)."""
        file = _path(path)
        data = read_json(file)
        fields = native.read_scenario(file, data)
        try:
            return cls(**fields, source=file)
        except ScenarioError as exc:  # checks made by the constructor: name the file too
            raise ScenarioError(f"{file}: {exc}") from None

    def to_json(self, path: PathLike) -> Self:
        """Write the scenario to one file in Palaver's own JSON format (exact round trip)."""
        file = _path(path)
        data = native.scenario_json(
            self.outcome_space,
            self.ufuns,
            self.ufun_names,
            self.discount_factors,
            self.name,
            self.info,
        )
        _dump(file, data)
        return self

    @classmethod
    def load(
        cls,
        path: PathLike,
        *,
        ignore_discount: bool = False,
        ignore_reserved: bool = False,
        normalize_weights: bool = False,
        load_info: bool = True,
        safe_parsing: bool = True,
        load_stats: bool = True,
    ) -> Self:
        """A scenario from a file or folder in any supported format, detected.

        A ``.json`` file in Palaver's format is read with :meth:`from_json`. A
        folder is searched for, in this order, a Palaver JSON file, a Genius
        domain (``.xml``) and a GeniusWeb domain (``.json``). The options are
        those of the ``from_*`` methods, applied where the format has the
        thing (GeniusWeb has no discount factors; Palaver JSON is read as
        written); ``load_info=False`` drops the scenario's info.
        ``safe_parsing`` and ``load_stats`` are accepted for NegMAS scripts and
        change nothing: files are always checked, statistics always computed
        on demand. Raises :class:`ScenarioError` when nothing is recognised.
        """
        del safe_parsing, load_stats
        target = _path(path)
        if target.exists() and not target.is_dir():
            if target.suffix.lower() == ".json" and native.is_native(read_json(target)):
                return cls._drop_info(cls.from_json(target), load_info)
            raise ScenarioError(
                f"{target}: not a Palaver scenario file; give the folder of a Genius or "
                "GeniusWeb scenario, or use from_genius_files / from_geniusweb_files"
            )
        folder = _folder(target)
        natives = [p for p in sorted(folder.glob("*.json")) if _is_native_file(p)]
        if len(natives) > 1:
            raise ScenarioError(
                f"{folder}: several Palaver scenario files {[p.name for p in natives]}"
            )
        if natives:
            scenario = cls.from_json(natives[0])
        elif genius.find_files(folder)[0] is not None:
            scenario = cls.from_genius_folder(
                folder,
                ignore_discount=ignore_discount,
                ignore_reserved=ignore_reserved,
                normalize_weights=normalize_weights,
            )
        elif geniusweb.find_files(folder)[0] is not None:
            scenario = cls.from_geniusweb_folder(folder, ignore_reserved=ignore_reserved)
        else:
            raise ScenarioError(
                f"{folder}: no Palaver scenario file, Genius domain (.xml) or GeniusWeb "
                "domain (.json)"
            )
        return cls._drop_info(scenario, load_info)

    @classmethod
    def _drop_info(cls, scenario: Self, keep: bool) -> Self:
        if not keep:
            scenario.info = {}
        return scenario

    @classmethod
    def is_loadable(cls, path: PathLike) -> bool:
        """Whether :meth:`load` would find a scenario at ``path`` (files are parsed)."""
        try:
            cls.load(path)
        except ScenarioError:
            return False
        return True

    def dumpas(
        self,
        folder: PathLike,
        type: str = "json",
        save_stats: bool = False,
        include_pareto_frontier: bool = True,
    ) -> None:
        """Write the scenario into ``folder`` in a format: ``"json"`` (Palaver's, the default,
        as ``<name>.json``), ``"xml"``/``"genius"`` or ``"geniusweb"``.

        With ``save_stats``, ``_stats.json`` gets the statistics (opposition,
        utility ranges, the solution points and, with
        ``include_pareto_frontier``, the frontier's utilities and outcomes), for
        reading by other tools; loading recomputes them. YAML is not written:
        Palaver has no YAML dependency.
        """
        if not isinstance(type, str):
            raise ScenarioError(f"dumpas: type must be one of {list(FORMATS)}, got {type!r}")
        kind = type.lower()
        target = _out_folder(folder)
        if kind in ("yml", "yaml"):
            raise ScenarioError("dumpas: YAML is not supported; use type='json' (Palaver's format)")
        if kind == "json":
            self.to_json(target / f"{_safe(self.name)}.json")
        elif kind in ("xml", "genius"):
            self.to_genius_folder(target)
        elif kind == "geniusweb":
            self.to_geniusweb_folder(target)
        else:
            raise ScenarioError(f"dumpas: type {type!r} is not one of {list(FORMATS)}")
        if save_stats:
            _dump(target / "_stats.json", self.stats.to_dict(include_pareto_frontier))

    def _write_meta(self, folder: Path, files: list[str]) -> None:
        _dump(folder / META, {"name": self.name, "info": self.info, "profiles": files})

    def _with_source(self, folder: Path) -> Self:
        self.source = folder
        return self
