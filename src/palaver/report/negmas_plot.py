"""NegMAS's negotiation figure: ``mechanism.plot()``, ``CompletedRun.plot()``
and ``plot_offline_run`` (NegMAS's ``negmas.plots.util``), drawn with matplotlib.

Each takes NegMAS's keywords (:class:`~palaver.report.negmas_options.PlotOptions`,
checked before anything is drawn) and returns a matplotlib ``Figure``
(NegMAS returns a plotly figure, or ``None`` when it shows it: here figures
are drawn off-screen and always returned). ``save_fig=True`` writes the
figure to ``path/fig_name``, in the format of ``fig_name``'s extension or
``image_format`` (NegMAS's default, ``webp``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palaver._util.plotters import savefig_format
from palaver.report.negmas_figure import draw
from palaver.report.negmas_options import (
    DEFAULT_IMAGE_FORMAT,
    SUPPORTED_IMAGE_FORMATS,
    PlotOptions,
)
from palaver.report.negmas_run import RunData, offers_of
from palaver.report.negmas_run import end_reason as ending_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "DEFAULT_IMAGE_FORMAT",
    "SUPPORTED_IMAGE_FORMATS",
    "plot_completed_run",
    "plot_mechanism_run",
    "plot_offline_run",
    "save_figure",
]


def save_figure(
    figure: Figure, options: PlotOptions, stem: str, where: str = "plot()"
) -> Path | None:
    """Write ``figure`` as ``options`` say (``save_fig``, ``path``, ``fig_name``,
    ``image_format``); the path written, or ``None`` when ``save_fig`` is off.

    ``fig_name`` without an extension gets ``image_format``'s; with one, that
    extension says the format and must be one of :data:`SUPPORTED_IMAGE_FORMATS`.
    ``path`` (default: the current folder) is made when missing; a file there
    is a ``NotADirectoryError``.
    """
    if not options.save_fig:
        return None
    fmt = options.image_format.lower().lstrip(".")
    name = str(options.fig_name) if options.fig_name else f"{stem}.{fmt}"
    suffix = Path(name).suffix.lower().lstrip(".")
    if not suffix:
        name, suffix = f"{name}.{fmt}", fmt
    elif suffix not in SUPPORTED_IMAGE_FORMATS:
        raise ValueError(
            f"fig_name {options.fig_name!r} has the extension {suffix!r}; the figure is saved "
            f"as one of {sorted(SUPPORTED_IMAGE_FORMATS)} (or give no extension: image_format "
            f"{fmt!r} is used)"
        )
    folder = Path(options.path) if options.path else Path.cwd()
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(
            f"{where[:-1]}path=...) must be a folder (made when missing); got "
            f"{str(folder)!r}, which is a file"
        )
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, format=savefig_format(suffix))
    return target


def plot_offline_run(
    trace: Sequence[Any],
    ids: Sequence[str],
    ufuns: Sequence[Any],
    agreement: Any,
    timedout: bool = False,
    broken: bool = False,
    has_error: bool = False,
    errstr: str = "",
    names: Sequence[str] | None = None,
    outcomes: Sequence[Any] | None = None,
    outcome_space: Any = None,
    end_reason: str | None = None,
    **options: Any,
) -> Figure:
    """NegMAS's figure of a negotiation from its saved full trace (no mechanism).

    Args:
        trace: The full trace: NegMAS's ``TraceElement``\\ s (or tuples of
            their fields, or the dicts of a loaded run), oldest first.
        ids: The negotiators' ids, in order.
        ufuns: Their utility functions, in the same order.
        agreement: The agreement, or ``None``.
        timedout, broken, has_error, errstr: How it ended (the annotation).
        names: The labels (default: ``ids``).
        outcomes: The outcomes drawn (default: from ``outcome_space``).
        outcome_space: Default: the first utility function's.
        end_reason: The annotation's last line, instead of one made from
            ``timedout``, ``broken`` and ``has_error``.
        **options: NegMAS's plotting keywords (``negotiators``, ``only2d``,
            ``no2d``, ``xdim``, ``save_fig``, ... see
            :class:`~palaver.report.negmas_options.PlotOptions`).

    Raises:
        TypeError: An unknown keyword.
        ValueError: ``ids``, ``ufuns`` and ``names`` of different lengths, an
            option's bad value (named), or neither outcomes nor a space.
    """
    chosen = PlotOptions.of(options, "plot_offline_run()", ("negotiators",))
    ids = [str(i) for i in ids]
    labels = [str(n) for n in names] if names is not None else list(ids)
    ufun_list = list(ufuns)
    if len(ufun_list) != len(ids) or len(labels) != len(ids):
        raise ValueError(
            f"ids, ufuns and names must have one entry per negotiator; got {len(ids)} ids, "
            f"{len(ufun_list)} ufuns and {len(labels)} names"
        )
    if outcome_space is None and ufun_list:
        outcome_space = getattr(ufun_list[0], "outcome_space", None)
    reason = None
    if chosen.show_end_reason:
        reason = end_reason or ending_of(timedout, broken, has_error, errstr, agreement)
    run = RunData(
        ids=ids,
        names=labels,
        ufuns=ufun_list,
        offers=offers_of(trace),
        agreement=agreement,
        end_reason=reason,
        outcome_space=outcome_space,
        outcomes=None if outcomes is None else list(outcomes),
        stem=str(uuid.uuid4()),
    )
    figure = draw(run, chosen)
    save_figure(figure, chosen, run.stem, "plot_offline_run()")
    return figure


def _mechanism_reason(mechanism: Any) -> str:
    state = mechanism.state
    if state.has_error and not state.timedout and state.agreement is None:
        who = getattr(state, "erred_negotiator", None)
        details = getattr(state, "error_details", "") or ""
        return f"ERROR by {who}: {details}" if who else "Negotiation ERROR"
    return ending_of(state.timedout, state.broken, state.has_error, "", state.agreement)


def plot_mechanism_run(
    mechanism: Any,
    negotiators: tuple[int | str, int | str] = (0, 1),
    show_last_negotiator: bool = True,
    **options: Any,
) -> Figure:
    """NegMAS's figure of a mechanism's negotiation, live or finished (what
    ``mechanism.plot(plotting_negotiators=..., **options)`` draws).

    ``show_last_negotiator`` adds "Last: <id>" (who made the last offer) to the
    annotation, as NegMAS's ``SAOMechanism.plot`` does.

    Raises:
        ValueError: A negotiator without a utility function (the figure is in
            utility space), or an option's bad value.
    """
    options["negotiators"] = negotiators
    chosen = PlotOptions.of(
        options, "mechanism.plot()", ("plotting_negotiators", "show_last_negotiator")
    )
    members = list(mechanism.negotiators)
    missing = [str(n.id) for n in members if getattr(n, "ufun", None) is None]
    if missing:
        raise ValueError(
            f"mechanism.plot() draws in utility space: negotiator(s) {missing} have no utility "
            "function (palaver.report.plot_negotiation draws the offered values instead)"
        )
    offers = offers_of(mechanism.full_trace)
    extra = chosen.extra_annotation
    if show_last_negotiator and offers:
        extra = "\n".join(t for t in (extra, f"Last: {offers[-1].negotiator}") if t)
    run = RunData(
        ids=[str(n.id) for n in members],
        names=[str(getattr(n, "name", None) or n.id) for n in members],
        ufuns=[n.ufun for n in members],
        offers=offers,
        agreement=mechanism.state.agreement,
        end_reason=_mechanism_reason(mechanism) if chosen.show_end_reason else None,
        outcome_space=mechanism.outcome_space,
        outcomes=None,
        stem=str(mechanism.id),
    )
    figure = draw(run, replace(chosen, extra_annotation=extra))
    save_figure(figure, chosen, run.stem, "mechanism.plot()")
    return figure


def plot_completed_run(run: Any, **options: Any) -> Figure:
    """NegMAS's figure of a :class:`~palaver.mechanisms.completed_run.CompletedRun`
    (what ``CompletedRun.plot(plotting_negotiators=..., **options)`` draws; the
    run's own checks come first: a scenario with utility functions, a full trace)."""
    config = run.config or {}
    ids = list(config.get("negotiator_ids") or [])
    if not ids:
        for offer in offers_of(run.history):
            if offer.negotiator not in ids:
                ids.append(offer.negotiator)
    names = list(config.get("negotiator_names") or ids)
    stats = run.outcome_stats or {}
    return plot_offline_run(
        run.history,
        ids,
        list(run.scenario.ufuns)[: len(ids)],
        run.agreement,
        timedout=bool(stats.get("timedout", False)),
        broken=bool(stats.get("broken", False)),
        has_error=bool(stats.get("has_error", False)),
        errstr=str(stats.get("error_details", "") or ""),
        names=names,
        outcome_space=run.scenario.outcome_space,
        **options,
    )
