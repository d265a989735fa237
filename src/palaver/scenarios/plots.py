"""NegMAS's ``Scenario.plot()`` and ``Scenario.save_plots()``: a base of ``Scenario``.

The figures are drawn by the report layer (matplotlib, the ``report`` extra),
found through the ``palaver.plotters`` entry points (see
:mod:`palaver._util.plotters`): this layer never imports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from palaver._util import plotters

_HINT = "palaver.report.negmas_scenario.plot_scenario(scenario) draws it"


class ScenarioPlots:
    """The drawing methods of a scenario, named as NegMAS names them."""

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
        pair (and the last with the first) as ``_plots/<name>-<name>.<ext>``.
        ``ext``: ``webp`` (NegMAS's default), ``png``, ``jpg``, ``svg`` or ``pdf``.
        Every figure is drawn before a file is written.
        """
        return plotters.plot(  # type: ignore[no-any-return]
            "scenario_files",
            self,
            _HINT,
            folder=folder,
            ext=ext,
            backend=backend,
            convex_hull=convex_hull,
            **plot_kwargs,
        )
