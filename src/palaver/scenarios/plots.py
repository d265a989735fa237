"""NegMAS's ``Scenario.plot()`` and ``Scenario.save_plots()``: a base of ``Scenario``.

The figures are drawn by the report layer (matplotlib, the ``report`` extra),
found through the ``palaver.plotters`` entry points (see
:mod:`palaver._util.plotters`): this layer never imports it. Which figures a
scenario's folder gets and their file names are decided here, so that
:meth:`ScenarioPlots.save_plots`, ``dumpas(save_plot=True)`` and the report's
``save_scenario_plots`` write the same files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palaver._util import plotters

if TYPE_CHECKING:
    from palaver.preferences import UtilityFunction

_HINT = "palaver.report.negmas_scenario.plot_scenario(scenario) draws it"


def plot_files(names: Sequence[str], ext: str) -> list[tuple[tuple[int, int], Path]]:
    """The figures NegMAS's ``save_plots`` writes for utility functions named
    ``names``, as (pair of indices, path relative to the folder): ``_plot.<ext>``
    for two; for more, one per consecutive pair (and the last with the first) as
    ``_plots/<name>-<name>.<ext>``. Names that repeat get their position
    appended, so that no file overwrites another.

    Raises:
        ValueError: ``ext`` is not one of
            :data:`~palaver._util.plotters.IMAGE_FORMATS`, or fewer than two names.
    """
    suffix = str(ext).lower().lstrip(".")
    if suffix not in plotters.IMAGE_FORMATS:
        raise ValueError(f"ext must be one of {sorted(plotters.IMAGE_FORMATS)}, got {ext!r}")
    n = len(names)
    if n < 2:
        raise ValueError(
            f"Cannot save plots for scenario with {n} utility function(s). Need at least 2."
        )
    if n == 2:
        return [((0, 1), Path(f"_plot.{suffix}"))]
    safe = [name.replace("/", "-").replace("\\", "-") for name in names]
    if len(set(safe)) < n:
        safe = [f"{name}{k}" for k, name in enumerate(safe)]
    pairs = [(k, (k + 1) % n) for k in range(n)]
    return [((i, j), Path("_plots") / f"{safe[i]}-{safe[j]}.{suffix}") for i, j in pairs]


def ufun_names(ufuns: Sequence[Any]) -> list[str]:
    """The names the figures' files use: each utility function's name, else ``u<i>``."""
    return [str(getattr(u, "name", None) or f"u{i}") for i, u in enumerate(ufuns)]


def write_figures(folder: Path | str, drawn: Sequence[tuple[Path, Any]]) -> list[Path]:
    """Save already drawn figures (pairs of a path relative to ``folder`` and a
    matplotlib figure) and return the files written."""
    target = Path(folder)
    written = []
    for relative, figure in drawn:
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = path.suffix.lstrip(".")
        figure.savefig(path, format=plotters.savefig_format(suffix), bbox_inches="tight")
        written.append(path)
    return written


class ScenarioPlots:
    """The drawing methods of a scenario, named as NegMAS names them."""

    if TYPE_CHECKING:

        @property
        def ufuns(self) -> tuple[UtilityFunction, ...]: ...

    def plot(
        self,
        ufun_indices: tuple[int, int] | None = None,
        backend: str = "matplotlib",
        convex_hull: bool = False,
        **kwargs: Any,
    ) -> Any:
        """The scenario's outcomes in the utility space of two of its utility
        functions (``ufun_indices``, default the first two): the Pareto frontier,
        the Nash, Kalai, KS and max-welfare points and the regions above the
        reserved values, as a matplotlib ``Figure`` (needs the report extra).

        ``convex_hull=True`` draws the frontier of the convex hull (NegMAS's
        ``P∞``). ``kwargs``: NegMAS's keywords of that plot (``mark_*_points``,
        ``show_reserved``, ``colors``, ``dark``, ``fontsize``, ...).

        Raises:
            ValueError: Fewer than two utility functions, the same index twice,
                ``backend`` other than ``"matplotlib"`` (NegMAS's ``"plotly"`` is
                not available), or a bad keyword value.
            IndexError: An index outside the utility functions.
        """
        return plotters.plot(
            "scenario",
            self,
            _HINT,
            ufun_indices=ufun_indices,
            backend=backend,
            convex_hull=convex_hull,
            **kwargs,
        )

    def save_plots(
        self,
        folder: Path | str,
        ext: str = "webp",
        backend: str = "matplotlib",
        convex_hull: bool = False,
        **plot_kwargs: Any,
    ) -> list[Path]:
        """Write :meth:`plot`'s figures into ``folder`` and return their paths:
        ``_plot.<ext>`` for two utility functions; for more, one per consecutive
        pair (and the last with the first) as ``_plots/<name>-<name>.<ext>``
        (see :func:`plot_files`).
        ``ext``: ``webp`` (NegMAS's default), ``png``, ``jpg``, ``svg`` or ``pdf``.
        Every figure is drawn before a file is written.
        """
        return write_figures(folder, self._draw_plots(ext, backend, convex_hull, **plot_kwargs))

    def _draw_plots(
        self,
        ext: str = "webp",
        backend: str = "matplotlib",
        convex_hull: bool = False,
        **plot_kwargs: Any,
    ) -> list[tuple[Path, Any]]:
        """The figures :meth:`save_plots` writes, drawn (each once) but not
        written: pairs of a path relative to the folder and a figure, for
        :func:`write_figures`. ``dumpas(save_plot=True)`` draws them before it
        writes any file, so that a bad plot option leaves nothing written.

        Raises:
            ValueError: What :func:`plot_files` and :meth:`plot` raise.
            TypeError: An unknown plot keyword.
        """
        files = plot_files(ufun_names(self.ufuns), ext)
        return [
            (path, self.plot(pair, backend, convex_hull, **plot_kwargs)) for pair, path in files
        ]
