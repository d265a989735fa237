"""Reading and writing scenarios: the file methods of :class:`Scenario`.

Folders written by Palaver also hold ``_scenario.json`` (the scenario's name,
info and the profile files in role order); without it, a folder's profiles
are taken in file-name order and the scenario is named after the folder. A
NegMAS ``_info.json`` next to the files is read as the scenario's info.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palaver.outcomes import OutcomeSpace
from palaver.preferences import UtilityFunction
from palaver.scenarios import genius, geniusweb, native
from palaver.scenarios.errors import ScenarioError

if TYPE_CHECKING:
    from typing import Self

    from palaver.scenarios.stats import ScenarioStats

PathLike = str | Path
META = "_scenario.json"
FORMATS = ("json", "xml", "genius", "geniusweb")


def _folder(path: PathLike) -> Path:
    folder = Path(path)
    if not folder.is_dir():
        raise ScenarioError(f"{folder}: not a folder")
    return folder


def _read_meta(folder: Path) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    info_file = folder / "_info.json"
    if info_file.is_file():
        meta["info"] = geniusweb.read_json(info_file)
    meta_file = folder / META
    if meta_file.is_file():
        data = geniusweb.read_json(meta_file)
        if not isinstance(data, dict):
            raise ScenarioError(f"{meta_file}: expected a JSON object")
        meta.update(data)
    return meta


def _ordered(folder: Path, profiles: list[Path], meta: dict[str, Any]) -> list[Path]:
    order = meta.get("profiles")
    if order is None:
        return profiles
    listed = [folder / str(n) for n in order]
    if sorted(listed) != sorted(profiles):
        raise ScenarioError(
            f"{folder / META}: lists profiles {order}, the folder has {[p.name for p in profiles]}"
        )
    return listed


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) or "_"


def _profile_names(names: Sequence[str], ext: str, reserved: str) -> list[str]:
    files = [_safe(n) + ext for n in names]
    if len(set(files)) != len(files) or reserved in files:
        raise ScenarioError(
            f"ufun names {list(names)} do not give distinct file names (besides {reserved})"
        )
    return files


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
        profiles: Iterable[PathLike],
        *,
        name: str | None = None,
        info: dict[str, Any] | None = None,
        ignore_discount: bool = False,
        ignore_reserved: bool = False,
        normalize_weights: bool = False,
    ) -> Self:
        """A scenario from a Genius domain file and profile files (one per party, in order).

        ``ignore_discount`` sets every discount factor to 1; ``ignore_reserved``
        sets every reserved value to ``-inf``; ``normalize_weights`` divides
        weights that do not sum to one by their sum instead of refusing them.
        The name defaults to the domain file's stem. Raises
        :class:`ScenarioError` naming the file and element for bad input.
        """
        domain_path = Path(domain)
        paths = [Path(p) for p in profiles]
        if not paths:
            raise ScenarioError(f"{domain_path}: no profile files given")
        space = genius.read_domain(domain_path)
        ufuns, discounts = [], []
        for p in paths:
            ufun, discount = genius.read_profile(p, space, normalize_weights)
            if ignore_reserved:
                ufun.reserved_value = -math.inf
            ufuns.append(ufun)
            discounts.append(1.0 if ignore_discount else discount)
        return cls(
            space,
            ufuns,
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
    ) -> Self:
        """A scenario from a folder holding one Genius domain file and its profile files.

        Files are told apart by their root element; parameters as in
        :meth:`from_genius_files`. The scenario is named after the folder.
        """
        folder = _folder(path)
        domain, profiles = genius.find_files(folder)
        if domain is None:
            raise ScenarioError(f"{folder}: no Genius domain file (<negotiation_template>)")
        if not profiles:
            raise ScenarioError(f"{folder}: no Genius profile file (<utility_space>)")
        meta = _read_meta(folder)
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
        paths = [Path(p) for p in ufun_paths]
        if len(paths) != len(self.ufuns):
            raise ScenarioError(f"{len(paths)} profile paths for {len(self.ufuns)} ufuns")
        genius.write_scenario(
            self.outcome_space,
            self.ufuns,
            self.ufun_names,
            self.discount_factors,
            self.name,
            Path(domain_path),
            paths,
        )
        return self

    def to_genius_folder(self, path: PathLike) -> Self:
        """Write ``domain.xml``, one ``<ufun name>.xml`` per party and ``_scenario.json``."""
        folder = Path(path)
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
        domain_path = Path(domain)
        paths = [Path(p) for p in profiles]
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
        folder = Path(path)
        files = _profile_names(self.ufun_names, ".json", "domain.json")
        folder.mkdir(parents=True, exist_ok=True)
        _dump(folder / "domain.json", geniusweb.domain_json(self.outcome_space, self.name))
        for ufun, f, n in zip(self.ufuns, files, self.ufun_names, strict=True):
            _dump(folder / f, geniusweb.profile_json(ufun, self.outcome_space, n, self.name))
        self._write_meta(folder, files)
        return self

    # -- Palaver JSON, detection --------------------------------------------------

    @classmethod
    def from_json(cls, path: PathLike) -> Self:
        """A scenario from a file in Palaver's own JSON format (see :mod:`~.native`)."""
        file = Path(path)
        data = geniusweb.read_json(file)
        return cls(**native.read_scenario(file, data), source=file)

    def to_json(self, path: PathLike) -> Self:
        """Write the scenario to one file in Palaver's own JSON format (exact round trip)."""
        file = Path(path)
        data = native.scenario_json(
            self.outcome_space,
            self.ufuns,
            self.ufun_names,
            self.discount_factors,
            self.name,
            self.info,
        )
        file.parent.mkdir(parents=True, exist_ok=True)
        _dump(file, data)
        return self

    @classmethod
    def load(cls, path: PathLike, **kwargs: Any) -> Self:
        """A scenario from a file or folder in any supported format, detected.

        A ``.json`` file in Palaver's format is read with :meth:`from_json`. A
        folder is searched for, in this order, a Palaver JSON file, a Genius
        domain (``.xml``) and a GeniusWeb domain (``.json``); keyword arguments
        go to the matching ``from_*`` method. Raises :class:`ScenarioError`
        when nothing is recognised.
        """
        target = Path(path)
        if target.is_file():
            if target.suffix.lower() == ".json" and native.is_native(geniusweb.read_json(target)):
                return cls.from_json(target)
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
            return cls.from_json(natives[0])
        if genius.find_files(folder)[0] is not None:
            return cls.from_genius_folder(folder, **kwargs)
        if geniusweb.find_files(folder)[0] is not None:
            return cls.from_geniusweb_folder(folder, **kwargs)
        raise ScenarioError(
            f"{folder}: no Palaver scenario file, Genius domain (.xml) or GeniusWeb domain (.json)"
        )

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
        kind = type.lower()
        target = Path(folder)
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


def _is_native_file(path: Path) -> bool:
    if path.name.startswith((".", "_")):
        return False
    return native.is_native(geniusweb.read_json(path))


def _dump(path: Path, data: Any) -> None:
    try:
        text = json.dumps(data, indent=1, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ScenarioError(f"{path}: cannot be written as JSON: {exc}") from None
    path.write_text(text, encoding="utf-8")
