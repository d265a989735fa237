"""The look every Palaver figure shares, and turning a figure into embeddable bytes.

Figures use matplotlib's object API on the non-interactive Agg canvas: nothing
touches ``pyplot``'s global state or opens a window, so plotting works in a
worker, a test or a server without a display. Colours come from the Okabe-Ito
palette, which stays distinguishable under the common colour-vision
deficiencies; a series beyond its eight colours also changes marker and dash.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Okabe & Ito's colour-blind-safe palette (black last: it is kept for marks).
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")
DASHES: tuple[str, ...] = ("-", "--", ":", "-.")
#: A sequential colour map that is readable in grey scale and by colour-blind readers.
SEQUENTIAL_CMAP = "cividis"


class ReportDependencyError(ImportError):
    """The plotting extra is not installed (``pip install 'palaver[report]'``)."""


def expect(name: str, value: Any, needs: tuple[str, ...], what: str) -> None:
    """``TypeError`` naming ``name`` unless ``value`` has every attribute in ``needs``
    (a path or a number failed inside with an ``AttributeError`` on one of them)."""
    if not all(hasattr(value, attr) for attr in needs):
        raise TypeError(f"{name} must be {what}, got {value!r:.80} ({type(value).__name__})")


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise ReportDependencyError("plots need matplotlib: pip install 'palaver[report]'") from exc
    return matplotlib


def new_figure(width: float = 6.4, height: float = 3.6, ncols: int = 1) -> tuple[Figure, Any]:
    """A figure on the Agg canvas with ``ncols`` axes (one ``Axes`` or an array of
    them; ``ncols=0``: no axes yet, ``None``)."""
    _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, ncols) if ncols else None
    return figure, axes


def series_style(i: int) -> dict[str, Any]:
    """Colour, marker and line style of the ``i``-th series (distinct for 32 series)."""
    return {
        "color": PALETTE[i % len(PALETTE)],
        "marker": MARKERS[(i // len(PALETTE)) % len(MARKERS)],
        "linestyle": DASHES[(i // len(PALETTE)) % len(DASHES)],
    }


def styles(n: int) -> Iterator[dict[str, Any]]:
    """The styles of ``n`` series, in order."""
    return (series_style(i) for i in range(n))


def tidy(axes: Axes, title: str, xlabel: str, ylabel: str, legend: bool = True) -> None:
    """Title, axis labels, a light grid and (when there are labelled series) a legend."""
    axes.set_title(title, fontsize=10)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.grid(True, alpha=0.3, linewidth=0.6)
    if legend and axes.get_legend_handles_labels()[0]:
        axes.legend(fontsize=7, frameon=False, loc="best")


def integer_steps(axes: Axes) -> None:
    """Whole numbers only on the x axis (steps, rounds)."""
    from matplotlib.ticker import MaxNLocator

    axes.xaxis.set_major_locator(MaxNLocator(integer=True))


def empty(axes: Axes, message: str) -> None:
    """Say on the axes that there is nothing to draw (rather than an empty frame)."""
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes)
    axes.set_xticks([])
    axes.set_yticks([])


def to_png(figure: Figure, dpi: int = 96) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def to_data_uri(figure: Figure, dpi: int = 96) -> str:
    """The figure as a ``data:image/png;base64,...`` URI, to embed in HTML without files."""
    return "data:image/png;base64," + base64.b64encode(to_png(figure, dpi)).decode("ascii")
