"""The keywords of NegMAS's negotiation figure (``mechanism.plot()``,
``plot_offline_run``, ``CompletedRun.plot()``), checked once at the boundary.

NegMAS draws with plotly; Palaver draws the same figure with matplotlib, so
NegMAS's plotly names (``"Jet"``, ``"triangle-up"``, ``"rgb(1, 2, 3)"``) are
translated here, and a value matplotlib cannot draw is a ``ValueError`` naming
the keyword, the value and what is allowed, before anything is drawn.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from palaver._util.plotters import IMAGE_FORMATS

#: NegMAS's default image format of a saved figure.
DEFAULT_IMAGE_FORMAT = "webp"
#: The image formats a figure is saved in (by ``fig_name``'s extension, else ``image_format``).
SUPPORTED_IMAGE_FORMATS = IMAGE_FORMATS
#: NegMAS's default colour scale of the negotiators' series.
DEFAULT_COLORMAP = "jet"
#: The x axes of the offer panels: NegMAS's ``xdim`` values.
XDIMS = ("relative_time", "step", "time")

#: NegMAS's (plotly's) marker names and the matplotlib markers drawn for them.
PLOTLY_MARKERS: Mapping[str, str] = {
    "circle": "o",
    "square": "s",
    "diamond": "D",
    "cross": "P",
    "x": "X",
    "triangle-up": "^",
    "triangle-down": "v",
    "triangle-left": "<",
    "triangle-right": ">",
    "star": "*",
    "pentagon": "p",
    "hexagon": "h",
    "hourglass": "d",
    "bowtie": "d",
}
#: NegMAS's markers of the negotiators' series, in its order.
_DEFAULT_MARKERS = (
    "square",
    "circle",
    "triangle-down",
    "triangle-up",
    "triangle-left",
    "triangle-right",
    "pentagon",
    "hexagon",
    "star",
    "diamond",
    "cross",
    "x",
)


_RGB = re.compile(r"rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)")


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r:.60} ({type(value).__name__})")
    return value


def to_color(name: str, value: Any) -> Any:
    """A matplotlib colour for ``value``: any matplotlib colour, or plotly's
    ``"rgb(r, g, b)"`` / ``"rgba(r, g, b, a)"`` text."""
    from matplotlib.colors import to_rgba

    given = value
    if isinstance(value, str):
        match = _RGB.fullmatch(value.strip())
        if match:
            r, g, b, a = match.groups()
            value = (float(r) / 255, float(g) / 255, float(b) / 255, 1.0 if a is None else float(a))
    try:
        # The rgb() text goes through to_rgba too: a channel above 255 is refused here,
        # naming the keyword, not when the figure is drawn.
        return to_rgba(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} holds {given!r:.60}, which is not a colour (a matplotlib colour such as "
            "'red' or '#1f77b4', or plotly's 'rgb(r, g, b)' with channels in 0..255)"
        ) from None


def to_marker(name: str, value: Any) -> Any:
    """A matplotlib marker for ``value``: one of NegMAS's (plotly's) names or a
    matplotlib marker (a symbol such as ``"o"``, a number such as ``4``, or a
    ``(sides, style, angle)`` tuple), kept as given."""
    from matplotlib.markers import MarkerStyle

    if isinstance(value, str) and value in PLOTLY_MARKERS:
        return PLOTLY_MARKERS[value]
    try:
        MarkerStyle(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} holds {value!r:.60}, which is not a marker (one of "
            f"{sorted(PLOTLY_MARKERS)} or a matplotlib marker such as 'o')"
        ) from None
    # Not str(value): 4 (caret left) is not "4" (tri right), and "5" or "(5, 0, 0)" are no markers.
    return value


def to_colormap(value: Any) -> Any:
    """The matplotlib colour map named ``value`` (NegMAS's plotly scale names,
    such as ``"Jet"``, are matched without regard to case)."""
    from matplotlib import colormaps

    if isinstance(value, str):
        for candidate in (value, value.lower()):
            if candidate in colormaps:
                return colormaps[candidate]
    raise ValueError(
        f"colormap {value!r:.60} is not a colour map: give a matplotlib colour map name "
        "(e.g. 'jet', 'viridis', 'tab10') or one of plotly's scales of the same name"
    )


@dataclass(frozen=True)
class PlotOptions:
    """NegMAS's keywords of the negotiation figure, with NegMAS's defaults.

    Every keyword is drawn as NegMAS draws it, in matplotlib, but these:
    ``show`` (figures are drawn off-screen and always returned: a notebook
    shows the returned figure) and ``xdim="time"``, which needs each offer's
    time (Palaver's traces do not time offers: a ``ValueError`` says so).
    ``fast`` leaves out the Pareto frontier, the solution points and the
    distances, as in NegMAS.
    """

    negotiators: tuple[int | str, int | str] = (0, 1)
    save_fig: bool = False
    path: str | None = None
    fig_name: str | None = None
    image_format: str = DEFAULT_IMAGE_FORMAT
    ignore_none_offers: bool = True
    with_lines: bool = True
    show_agreement: bool = False
    show_pareto_distance: bool = True
    show_nash_distance: bool = True
    show_kalai_distance: bool = True
    show_ks_distance: bool = True
    show_max_welfare_distance: bool = True
    show_max_relative_welfare_distance: bool = False
    show_end_reason: bool = True
    show_annotations: bool = False
    show_reserved: bool = True
    show_total_time: bool = True
    show_relative_time: bool = True
    show_n_steps: bool = True
    colors: Sequence[Any] | None = None
    markers: Sequence[Any] | None = None
    colormap: str = DEFAULT_COLORMAP
    ylimits: tuple[float, float] | None = None
    common_legend: bool = True
    extra_annotation: str = ""
    xdim: str = "relative_time"
    colorizer: Callable[[Any], float] | None = None
    only2d: bool = False
    no2d: bool = False
    fast: bool = False
    simple_offers_view: bool = False
    mark_offers_view: bool = True
    mark_pareto_points: bool = True
    mark_all_outcomes: bool = True
    mark_nash_points: bool = True
    mark_kalai_points: bool = True
    mark_ks_points: bool = True
    mark_max_welfare_points: bool = True
    show: bool = True
    square: bool = True
    dark: bool = False
    color_blind: bool = False
    fontsize: int | None = None
    convex_hull: bool = False

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.type == "bool":
                _flag(f.name, getattr(self, f.name))
        if self.only2d and self.no2d:
            raise ValueError(
                "only2d and no2d cannot both be True (only2d draws only what no2d hides)"
            )
        if self.xdim not in XDIMS:
            raise ValueError(f"xdim must be one of {list(XDIMS)}, got {self.xdim!r:.60}")
        fmt = self.image_format
        if not isinstance(fmt, str) or fmt.lower().lstrip(".") not in SUPPORTED_IMAGE_FORMATS:
            raise ValueError(
                f"image_format must be one of {sorted(SUPPORTED_IMAGE_FORMATS)}, got {fmt!r:.60}"
            )
        if self.ylimits is not None:
            limits = self.ylimits
            ok = (
                isinstance(limits, Sequence)
                and len(limits) == 2
                and all(isinstance(v, int | float) and math.isfinite(v) for v in limits)
                and limits[0] < limits[1]
            )
            if not ok:
                raise ValueError(
                    f"ylimits must be (low, high), two finite numbers with low < high, got "
                    f"{limits!r:.60}"
                )
        negotiators = self.negotiators
        if not isinstance(negotiators, Sequence) or len(negotiators) != 2:
            raise ValueError(
                "negotiators (plotting_negotiators) must name the two negotiators of the 2D "
                f"plot, as indices or ids, got {negotiators!r:.60}"
            )
        if self.colorizer is not None and not callable(self.colorizer):
            raise TypeError(f"colorizer must be callable or None, got {self.colorizer!r:.60}")
        if self.fontsize is not None and (
            isinstance(self.fontsize, bool)
            or not isinstance(self.fontsize, int | float)
            or self.fontsize <= 0
        ):
            raise ValueError(
                f"fontsize must be a positive number or None, got {self.fontsize!r:.60}"
            )
        for name in ("path", "fig_name"):
            value = getattr(self, name)
            # Not bytes: str(b"deal") named the file "b'deal'.webp", and Path(b"dir") fails.
            if (
                value is not None
                and not isinstance(value, str)
                and not hasattr(value, "__fspath__")
            ):
                raise TypeError(
                    f"{name} must be a path (str or os.PathLike) or None, got {value!r:.60}"
                )
        if not isinstance(self.extra_annotation, str):
            raise TypeError(f"extra_annotation must be a str, got {self.extra_annotation!r:.60}")
        to_colormap(self.colormap)
        for name in ("colors", "markers"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, str) or not isinstance(value, Sequence)):
                raise TypeError(f"{name} must be a list or None, got {value!r:.60}")
            if value is not None and not value:
                raise ValueError(f"{name} must not be empty (None: NegMAS's defaults)")
        for i, color in enumerate(self.colors or ()):
            to_color(f"colors[{i}]", color)
        for i, marker in enumerate(self.markers or ()):
            to_marker(f"markers[{i}]", marker)

    @classmethod
    def of(cls, options: Mapping[str, Any], where: str, also: Sequence[str] = ()) -> PlotOptions:
        """The options of ``where(**options)``; an unknown keyword is a
        ``TypeError`` naming it, as for any Python function (``also``: the
        caller's own keywords, named in the message too)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(
                f"{where} got unexpected keyword argument(s) {unknown}; it takes NegMAS's "
                f"plotting keywords: {sorted((known - {'negotiators'}) | set(also))}"
            )
        return cls(**options)

    def series_colors(self, n: int) -> list[Any]:
        """The colour of each of ``n`` negotiators' series."""
        if self.colors:
            return [to_color(f"colors[{i}]", self.colors[i % len(self.colors)]) for i in range(n)]
        if self.color_blind:
            from palaver.report.style import PALETTE

            return [PALETTE[i % (len(PALETTE) - 1)] for i in range(n)]
        cmap = to_colormap(self.colormap)
        if cmap.N <= 32:  # a qualitative map (tab10, Set1, ...): its colours in turn
            return [cmap(i % cmap.N) for i in range(n)]
        return [cmap(i / max(n - 1, 1)) for i in range(n)]

    def series_markers(self, n: int) -> list[Any]:
        """The marker of each of ``n`` negotiators' series."""
        names = list(self.markers or _DEFAULT_MARKERS)
        return [to_marker(f"markers[{i % len(names)}]", names[i % len(names)]) for i in range(n)]
