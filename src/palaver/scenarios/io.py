"""Reading and writing scenarios: the file methods of :class:`Scenario`.

Palaver's own JSON format and the detection of a folder's format are here;
Genius XML and GeniusWeb JSON are in :mod:`~palaver.scenarios.genius_io`.
Folders written by Palaver also hold ``_scenario.json`` (the scenario's name,
info, its ufun names and its profile files in role order); without it, a folder's profiles
are taken in file-name order and the scenario is named after the folder. A
NegMAS ``_info.json`` next to the files is read as the scenario's info.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from palaver.scenarios import genius, geniusweb, native
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.files import read_json
from palaver.scenarios.folders import (
    FORMATS,
    PathLike,
    _dump,
    _folder,
    _is_native_file,
    _out_folder,
    _path,
    _safe,
)
from palaver.scenarios.genius_io import GeniusFiles, name_read_ufuns
from palaver.scenarios.validate import check_flags

if TYPE_CHECKING:
    from typing import Self

#: The file :meth:`ScenarioFiles.dumpas` writes a scenario's statistics to
#: (NegMAS's constant; NegMAS writes YAML, ``_stats.yaml``, Palaver JSON).
STATS_FILE_NAME = "_stats.json"


class ScenarioFiles(GeniusFiles):
    """Import and export methods, named as NegMAS names them; a base of ``Scenario``."""

    # -- Palaver JSON, detection --------------------------------------------------

    @classmethod
    def from_json(cls, path: PathLike) -> Self:
        """A scenario from a file in Palaver's own JSON format (see :mod:`~.native`)."""
        file = _path(path)
        data = read_json(file)
        fields = native.read_scenario(file, data)
        name_read_ufuns(fields["ufuns"], fields["ufun_names"])
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

        A file in Palaver's format (whatever its suffix: :meth:`to_json` writes
        any path) is read with :meth:`from_json`. A
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
        check_flags(
            "load",
            ignore_discount=ignore_discount,
            ignore_reserved=ignore_reserved,
            normalize_weights=normalize_weights,
            load_info=load_info,
        )
        target = _path(path)
        if target.exists() and not target.is_dir():
            if _is_native_any_suffix(target):
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
            scenario = cls.from_geniusweb_folder(
                folder, ignore_reserved=ignore_reserved, normalize_weights=normalize_weights
            )
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

        File names are made from the scenario's and ufuns' names so that
        :meth:`load` finds them: characters a file name cannot hold become
        ``_`` and a leading ``.`` or ``_`` is dropped (``"_x"`` is ``x.json``:
        files starting so are hidden or Palaver's own and are not read). The
        names themselves are kept in the files.

        With ``save_stats``, :data:`STATS_FILE_NAME` gets the statistics (opposition,
        utility ranges, the solution points and, with
        ``include_pareto_frontier``, the frontier's utilities and outcomes), for
        reading by other tools; loading recomputes them. YAML is not written:
        Palaver has no YAML dependency. Genius XML and GeniusWeb JSON refuse a
        scenario of fewer than two utility functions before anything is
        written (their loaders would refuse the folder); Palaver JSON keeps
        any number.
        """
        check_flags(
            "dumpas", save_stats=save_stats, include_pareto_frontier=include_pareto_frontier
        )
        if not isinstance(type, str):
            raise ScenarioError(f"dumpas: type must be one of {list(FORMATS)}, got {type!r}")
        kind = type.lower()
        if kind in ("yml", "yaml"):
            raise ScenarioError("dumpas: YAML is not supported; use type='json' (Palaver's format)")
        if kind not in FORMATS:
            raise ScenarioError(f"dumpas: type {type!r} is not one of {list(FORMATS)}")
        if kind == "json":
            target = _out_folder(folder)
            self.to_json(target / f"{_safe(self.name, 'scenario')}.json")
        elif kind in ("xml", "genius"):
            target = _path(folder)
            self.to_genius_folder(target)
        else:
            target = _path(folder)
            self.to_geniusweb_folder(target)
        if save_stats:
            _dump(target / STATS_FILE_NAME, self.stats.to_dict(include_pareto_frontier))


def _is_native_any_suffix(path: Path) -> bool:
    """Whether a file holds Palaver JSON: a ``.json`` file is parsed (its errors are
    the caller's), any other file too, as :meth:`ScenarioFiles.to_json` writes any
    path given, but one that is not JSON is simply not Palaver's."""
    try:
        return native.is_native(read_json(path))
    except ScenarioError:
        if path.suffix.lower() == ".json":
            raise
        return False
