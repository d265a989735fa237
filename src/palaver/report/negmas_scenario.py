"""NegMAS's ``Scenario.plot()`` and ``Scenario.save_plots()``: a scenario's
outcomes in the utility space of two of its utility functions (the left
panel of NegMAS's negotiation figure, without offers), with matplotlib."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palaver.report.negmas_figure import draw
from palaver.report.negmas_options import DEFAULT_IMAGE_FORMAT, PlotOptions
from palaver.report.negmas_run import RunData
from palaver.scenarios.plots import plot_files, ufun_names, write_figures

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: What a scenario's figure leaves out unless asked: there is no run to describe.
_QUIET = {
    "show_n_steps": False,
    "show_relative_time": False,
    "show_total_time": False,
    "show_end_reason": False,
}


#: The keywords of NegMAS's 2D plot that mean something without offers.
_KEYWORDS = frozenset(
    {
        "mark_pareto_points",
        "mark_all_outcomes",
        "mark_nash_points",
        "mark_kalai_points",
        "mark_ks_points",
        "mark_max_welfare_points",
        "show_reserved",
        "show_annotations",
        "colors",
        "markers",
        "colormap",
        "color_blind",
        "dark",
        "fontsize",
        "square",
        "fast",
        "extra_annotation",
        "show",
    }
)


def _backend(backend: Any) -> None:
    if backend != "matplotlib":
        raise ValueError(
            f"Invalid backend {backend!r}: Palaver draws scenarios with 'matplotlib' "
            "(NegMAS's 'plotly' backend is not available here)"
        )


def _pair(ufun_indices: Any) -> tuple[int, int]:
    """``ufun_indices`` as two ints (a float or a triple failed deep inside, unnamed)."""
    if (
        isinstance(ufun_indices, str | bytes)
        or not isinstance(ufun_indices, Sequence)
        or len(ufun_indices) != 2
        or not all(isinstance(k, Integral) and not isinstance(k, bool) for k in ufun_indices)
    ):
        raise TypeError(
            f"ufun_indices must be None or a pair of ints (indices of the scenario's utility "
            f"functions), got {ufun_indices!r:.60}"
        )
    return int(ufun_indices[0]), int(ufun_indices[1])


def plot_scenario(
    scenario: Any,
    ufun_indices: tuple[int, int] | None = None,
    backend: str = "matplotlib",
    convex_hull: bool = False,
    **kwargs: Any,
) -> Figure:
    """The outcomes of ``scenario`` in the utility space of its utility functions
    ``ufun_indices`` (default: the first two), with the Pareto frontier and the
    Nash, Kalai, KS and max-welfare points and the reserved values' regions.

    ``kwargs`` are NegMAS's keywords of that plot (``mark_*_points``,
    ``show_reserved``, ``colors``, ``dark``, ``fontsize``, ``fast``, ...; see
    :class:`~palaver.report.negmas_options.PlotOptions`).

    Raises:
        ValueError: Fewer than two utility functions, the same index twice,
            a backend other than ``"matplotlib"``, or a bad keyword value.
        TypeError: ``ufun_indices`` not a pair of ints, or an unknown keyword.
        IndexError: An index outside the scenario's utility functions.
    """
    _backend(backend)
    ufuns = list(scenario.ufuns)
    if len(ufuns) < 2:
        raise ValueError(
            f"Cannot plot scenario with {len(ufuns)} utility function(s). Need at least 2."
        )
    i, j = (0, 1) if ufun_indices is None else _pair(ufun_indices)
    if not (0 <= i < len(ufuns) and 0 <= j < len(ufuns)):
        raise IndexError(
            f"Invalid ufun_indices ({i}, {j}). Must be in range [0, {len(ufuns) - 1}]."
        )
    if i == j:
        raise ValueError(f"Cannot plot the same utility function twice: ufun_indices=({i}, {j}).")
    unknown = sorted(set(kwargs) - _KEYWORDS)
    if unknown:
        raise TypeError(
            f"Scenario.plot() got unexpected keyword argument(s) {unknown}; it takes "
            f"ufun_indices, backend, convex_hull and {sorted(_KEYWORDS)}"
        )
    options = PlotOptions(**{**_QUIET, **kwargs, "convex_hull": convex_hull, "only2d": True})
    every = ufun_names(ufuns)
    names = [every[i], every[j]]
    run = RunData(
        ids=[f"{i}", f"{j}"],
        names=names,
        ufuns=[ufuns[i], ufuns[j]],
        offers=[],
        agreement=None,
        end_reason=None,
        outcome_space=scenario.outcome_space,
        outcomes=None,
        stem=str(getattr(scenario, "name", None) or "scenario"),
    )
    return draw(run, options)


def save_scenario_plots(
    scenario: Any,
    folder: Path | str,
    ext: str = DEFAULT_IMAGE_FORMAT,
    backend: str = "matplotlib",
    convex_hull: bool = False,
    **plot_kwargs: Any,
) -> list[Path]:
    """NegMAS's ``Scenario.save_plots``: with two utility functions,
    ``folder/_plot.<ext>``; with more, one plot per consecutive pair (and the
    last with the first) in ``folder/_plots/<name i>-<name j>.<ext>`` (when two
    utility functions share a name, each name gets its position appended, so
    that no file overwrites another).
    Returns the files written.

    Raises:
        ValueError: Fewer than two utility functions, an ``ext`` not in
            :data:`~palaver.report.negmas_options.SUPPORTED_IMAGE_FORMATS`,
            or what :func:`plot_scenario` raises.
    """
    _backend(backend)
    files = plot_files(ufun_names(scenario.ufuns), ext)
    # Every figure is drawn before a file is written: a bad keyword leaves no partial set.
    drawn = [
        (path, plot_scenario(scenario, pair, backend, convex_hull, **plot_kwargs))
        for pair, path in files
    ]
    return write_figures(folder, drawn)
