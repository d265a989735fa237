"""Reading and writing scenarios: the file methods of :class:`Scenario`.

Palaver's own JSON format and the detection of a folder's format are here;
Genius XML and GeniusWeb JSON are in :mod:`~palaver.scenarios.genius_io`.
Folders written by Palaver also hold ``_scenario.json`` (the scenario's name,
info, its ufun names and its profile files in role order); without it, a folder's profiles
are taken in file-name order and the scenario is named after the folder. A
NegMAS ``_info.json`` next to the files is read as the scenario's info.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palaver._util.plotters import IMAGE_FORMATS
from palaver.scenarios import genius, geniusweb, native
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.files import read_json
from palaver.scenarios.folders import (
    FORMATS,
    PathLike,
    _dump,
    _folder,
    _is_native_file,
    _path,
    _safe,
    out_folder,
)
from palaver.scenarios.genius_io import GeniusFiles, name_read_ufuns
from palaver.scenarios.plots import ScenarioPlots, write_figures
from palaver.scenarios.validate import check_flags

if TYPE_CHECKING:
    from typing import Self

#: The file :meth:`ScenarioFiles.dumpas` writes a scenario's statistics to
#: (NegMAS's constant; NegMAS writes YAML, ``_stats.yaml``, Palaver JSON).
STATS_FILE_NAME = "_stats.json"


class ScenarioFiles(GeniusFiles, ScenarioPlots):
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
        save_plot: bool = False,
        plot_extension: str | None = None,
        plot_kwargs: dict[str, Any] | None = None,
        *,
        save_info: bool = True,
        compact: bool = False,
        include_pareto_utils: bool | None = None,
        include_pareto_outcomes: bool | None = None,
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
        ``include_pareto_frontier``, the frontier's utilities and outcomes;
        ``include_pareto_utils`` / ``include_pareto_outcomes``, when not
        ``None``, decide each of the two alone), for
        reading by other tools; loading recomputes them. YAML is not written:
        Palaver has no YAML dependency. Genius XML and GeniusWeb JSON refuse a
        scenario of fewer than two utility functions before anything is
        written (their loaders would refuse the folder); Palaver JSON keeps
        any number.

        With ``save_plot`` (and at least two utility functions), the figures of
        :meth:`save_plots` go into the folder too, in ``plot_extension``
        (default ``webp``), drawn with ``plot_kwargs``; each is drawn once,
        before any file is written, so a bad plot keyword writes nothing.
        ``save_info=False`` leaves the scenario's ``info`` out of the files
        (NegMAS's option); ``compact`` is accepted for NegMAS scripts and
        changes nothing (Palaver writes one layout).
        """
        pareto = self._check_write_options(
            "dumpas",
            save_stats=save_stats,
            include_pareto_frontier=include_pareto_frontier,
            include_pareto_utils=include_pareto_utils,
            include_pareto_outcomes=include_pareto_outcomes,
            save_plot=save_plot,
            save_info=save_info,
            compact=compact,
        )
        if not isinstance(type, str):
            raise ScenarioError(f"dumpas: type must be one of {list(FORMATS)}, got {type!r}")
        kind = type.lower()
        if kind in ("yml", "yaml"):
            raise ScenarioError("dumpas: YAML is not supported; use type='json' (Palaver's format)")
        if kind not in FORMATS:
            raise ScenarioError(f"dumpas: type {type!r} is not one of {list(FORMATS)}")
        figures = self._figures("dumpas", save_plot, plot_extension, plot_kwargs)
        written = self._with_info(save_info)
        if kind == "json":
            with out_folder(folder) as target:
                written.to_json(target / f"{_safe(self.name, 'scenario')}.json")
        elif kind in ("xml", "genius"):
            target = _path(folder)
            written.to_genius_folder(target)
        else:
            target = _path(folder)
            written.to_geniusweb_folder(target)
        self._write_extras(target, save_stats, pareto, figures)

    def _check_write_options(
        self,
        where: str,
        include_pareto_utils: bool | None,
        include_pareto_outcomes: bool | None,
        **flags: object,
    ) -> tuple[bool, bool]:
        """Check the on/off options of a write and return whether the statistics
        hold the frontier's utilities and its outcomes (each ``None`` follows
        ``include_pareto_frontier``, as in NegMAS)."""
        check_flags(where, **flags)
        both = bool(flags["include_pareto_frontier"])
        parts = {"include_pareto_utils": include_pareto_utils}
        parts["include_pareto_outcomes"] = include_pareto_outcomes
        for name, value in parts.items():
            if value is not None:
                check_flags(where, **{name: value})
        return (
            both if include_pareto_utils is None else bool(include_pareto_utils),
            both if include_pareto_outcomes is None else bool(include_pareto_outcomes),
        )

    def _with_info(self, save_info: bool) -> Self:
        """The scenario as written: itself, or without its info (``save_info=False``)."""
        if save_info or not self.info:
            return self
        written = copy.copy(self)  # shares everything but the info left out
        written.info = {}
        return written

    def _figures(
        self,
        where: str,
        save_plot: bool,
        plot_extension: str | None,
        plot_kwargs: dict[str, Any] | None,
    ) -> list[tuple[Path, Any]]:
        """The figures a write saves, drawn once after checking their options and
        before any file is written, so that a bad plot option leaves no files
        (none without ``save_plot`` or with fewer than two utility functions)."""
        if not self._check_plot_options(where, save_plot, plot_extension, plot_kwargs):
            return []
        extension = "webp" if plot_extension is None else plot_extension
        return self._draw_plots(extension, **(plot_kwargs or {}))

    def _check_plot_options(
        self,
        where: str,
        save_plot: bool,
        plot_extension: str | None,
        plot_kwargs: dict[str, Any] | None,
    ) -> bool:
        """Whether figures are saved, after checking ``plot_kwargs`` and ``plot_extension``."""
        if plot_kwargs is not None and not isinstance(plot_kwargs, dict):
            raise ScenarioError(f"{where}: plot_kwargs must be a dict or None, got {plot_kwargs!r}")
        if not save_plot or len(self.ufuns) < 2:
            return False
        if plot_extension is not None and (
            not isinstance(plot_extension, str)
            or plot_extension.lower().lstrip(".") not in IMAGE_FORMATS
        ):
            raise ScenarioError(
                f"{where}: plot_extension must be one of {sorted(IMAGE_FORMATS)} or None "
                f"(webp), got {plot_extension!r}"
            )
        return True

    def _write_extras(
        self,
        folder: Path,
        save_stats: bool,
        pareto: tuple[bool, bool],
        figures: list[tuple[Path, Any]],
    ) -> None:
        """The statistics and the (already drawn) figures a write puts beside the scenario."""
        if save_stats:
            utils, outcomes = pareto
            data = self.stats.to_dict(include_pareto_utils=utils, include_pareto_outcomes=outcomes)
            _dump(folder / STATS_FILE_NAME, data)
        write_figures(folder, figures)

    def update(
        self,
        compact: bool = False,
        save_stats: bool = True,
        save_info: bool = True,
        save_plot: bool = False,
        include_pareto_frontier: bool = True,
        include_pareto_utils: bool | None = None,
        include_pareto_outcomes: bool | None = None,
        plot_extension: str | None = None,
        plot_kwargs: dict[str, Any] | None = None,
    ) -> bool:
        """Write the scenario back where it was read from (its ``source``), in
        that place's format, as NegMAS's ``update`` (same parameters, order and
        defaults: the statistics file is written unless ``save_stats=False``);
        ``False`` (nothing written) when it has no source. The options are
        :meth:`dumpas`'s.

        A Palaver JSON file is rewritten in place; a folder gets the format of
        the scenario files it holds (Palaver JSON, Genius XML or GeniusWeb
        JSON, searched in that order as :meth:`load` does), Palaver JSON when
        it holds none. A source that no longer exists is a ``FileNotFoundError``.
        Every option is checked, and the figures drawn, before a file is written.
        """
        options: dict[str, Any] = {
            "save_stats": save_stats,
            "include_pareto_frontier": include_pareto_frontier,
            "save_plot": save_plot,
            "plot_extension": plot_extension,
            "plot_kwargs": plot_kwargs,
            "save_info": save_info,
            "compact": compact,
            "include_pareto_utils": include_pareto_utils,
            "include_pareto_outcomes": include_pareto_outcomes,
        }
        pareto = self._check_write_options(
            "update",
            save_stats=save_stats,
            include_pareto_frontier=include_pareto_frontier,
            include_pareto_utils=include_pareto_utils,
            include_pareto_outcomes=include_pareto_outcomes,
            save_plot=save_plot,
            save_info=save_info,
            compact=compact,
        )
        self._check_plot_options("update", save_plot, plot_extension, plot_kwargs)
        if self.source is None:
            return False
        source = Path(self.source)
        if not source.exists():
            # A removed folder made this write <name>.json into its parent, silently.
            raise FileNotFoundError(
                f"update: the scenario's source {str(source)!r} no longer exists; "
                "write the scenario with dumpas(folder) instead"
            )
        folder = source if source.is_dir() else source.parent
        if source.is_file() and _is_native_any_suffix(source):
            figures = self._figures("update", save_plot, plot_extension, plot_kwargs)
            self._with_info(save_info).to_json(source)
            self._write_extras(folder, save_stats, pareto, figures)
            return True
        kind = "json"
        if not any(_is_native_file(p) for p in folder.glob("*.json")):
            if genius.find_files(folder)[0] is not None:
                kind = "xml"
            elif geniusweb.find_files(folder)[0] is not None:
                kind = "geniusweb"
        self.dumpas(folder, kind, **options)
        return True


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
