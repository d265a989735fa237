"""Pictures and reports of Palaver artefacts: negotiations, world recordings, tournaments.

Needs the plotting extra (``pip install 'palaver[report]'``, matplotlib).
Every ``plot_*`` function returns a matplotlib ``Figure`` drawn off-screen
(``fig.savefig("x.png")`` writes it; a notebook shows it). :func:`write_report`
writes one self-contained HTML page for a recording, a tournament's results
folder or a negotiation tournament's folder
(``palaver report PATH -o report.html`` on the command line).
:class:`AgentViewer` and :func:`quick_agent_view` show what each agent of a
recording did in the terminal (rich, no plotting extra needed). See
docs/looking-at-results.md and docs/recording.md.
"""

from palaver.report.agent_viewer import AgentViewer, quick_agent_view
from palaver.report.html import (
    ReportError,
    recording_report,
    report_html,
    tournament_report,
    write_report,
)
from palaver.report.negotiation import negotiation_trace, plot_negotiation
from palaver.report.negotiation_data import NegotiationTrace
from palaver.report.negotiation_tournament import (
    negotiation_tournament_figures,
    negotiation_tournament_report,
    party_metrics,
)
from palaver.report.notebook import mechanism_html, reader_html, results_html
from palaver.report.style import PALETTE, ReportDependencyError
from palaver.report.tournament import (
    plot_metric_per_competitor,
    plot_ranking,
    plot_score_distributions,
    plot_win_matrix,
    tournament_figures,
)
from palaver.report.world import (
    plot_agent_values,
    plot_breaches_by_agent,
    plot_contract_graph,
    plot_contracts_per_step,
    plot_events_per_step,
    plot_negotiations_per_step,
    world_figures,
)
from palaver.report.world_data import WorldSummary, summarize_world

__all__ = [
    "PALETTE",
    "AgentViewer",
    "NegotiationTrace",
    "ReportDependencyError",
    "ReportError",
    "WorldSummary",
    "mechanism_html",
    "negotiation_tournament_figures",
    "negotiation_tournament_report",
    "negotiation_trace",
    "party_metrics",
    "plot_agent_values",
    "plot_breaches_by_agent",
    "plot_contract_graph",
    "plot_contracts_per_step",
    "plot_events_per_step",
    "plot_metric_per_competitor",
    "plot_negotiation",
    "plot_negotiations_per_step",
    "plot_ranking",
    "plot_score_distributions",
    "plot_win_matrix",
    "quick_agent_view",
    "reader_html",
    "recording_report",
    "report_html",
    "results_html",
    "summarize_world",
    "tournament_figures",
    "tournament_report",
    "world_figures",
    "write_report",
]
