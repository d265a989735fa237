"""The ``palaver negotiate`` command: two built-in negotiators on a three-issue scenario."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from palaver.cli.errors import MAX_SEED, check_range, fail
from palaver.events import EventBus, EventType, ListSink
from palaver.mechanisms import SAOMechanism
from palaver.negotiators import (
    AspirationNegotiator,
    MiCRO,
    NaiveTitForTat,
    NiceNegotiator,
    RandomNegotiator,
    SAONegotiator,
    ToughNegotiator,
)
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction, UtilityFunction

#: Strategy name -> factory taking (name, ufun): the tournaments' short names
#: (palaver.tournaments.negotiation.BUILTIN), which a test holds equal.
STRATEGIES: dict[str, Callable[[str, UtilityFunction], SAONegotiator]] = {
    "boulware": lambda n, u: AspirationNegotiator(name=n, ufun=u, aspiration_type="boulware"),
    "linear": lambda n, u: AspirationNegotiator(name=n, ufun=u, aspiration_type="linear"),
    "conceder": lambda n, u: AspirationNegotiator(name=n, ufun=u, aspiration_type="conceder"),
    "aspiration": lambda n, u: AspirationNegotiator(name=n, ufun=u),
    "titfortat": lambda n, u: NaiveTitForTat(name=n, ufun=u),
    "naivetitfortat": lambda n, u: NaiveTitForTat(name=n, ufun=u),
    "micro": lambda n, u: MiCRO(name=n, ufun=u),
    "random": lambda n, u: RandomNegotiator(name=n, ufun=u),
    "tough": lambda n, u: ToughNegotiator(name=n, ufun=u),
    "nice": lambda n, u: NiceNegotiator(name=n, ufun=u),
}
# Module level: typer evaluates the (postponed) annotations in module globals.
_NAMES = ", ".join(STRATEGIES)
#: The largest --steps: a round limit beyond it would not end in a sitting.
MAX_STEPS = 100_000


def scenario(seed: int) -> tuple[OutcomeSpace, UtilityFunction, UtilityFunction]:
    """A seller and a buyer with opposing preferences over price, quantity and delivery.

    The weights are drawn from ``seed``; both utility functions are normalized
    to [0, 1] with a reserved value of 0.2.
    """
    space = OutcomeSpace(
        [
            make_issue((1, 10), "price"),
            make_issue((1, 5), "quantity"),
            make_issue(["next week", "tomorrow", "today"], "delivery"),
        ]
    )
    rng = np.random.default_rng(seed)
    ws, wb = rng.uniform(0.2, 1.0, 3), rng.uniform(0.2, 1.0, 3)
    # The seller wants a high price, a large quantity and time; the buyer the opposite.
    seller = LinearUtilityFunction([ws[0], ws[1], -ws[2]], outcome_space=space).normalize()
    buyer = LinearUtilityFunction([-wb[0], -wb[1], wb[2]], outcome_space=space).normalize()
    seller.reserved_value = buyer.reserved_value = 0.2
    return space, seller, buyer


def _describe(outcome: Any) -> str:
    return ", ".join(str(v) for v in outcome)


def trace_table(
    title: str, space: OutcomeSpace, sink: ListSink, ufuns: dict[str, UtilityFunction]
) -> Table:
    """Every offer and every non-reject response in ``sink``, with each party's
    utility (``ufuns``: party name -> utility function, in column order)."""
    trace = Table(title=title)
    trace.add_column("round", justify="right")
    trace.add_column("who")
    trace.add_column("action")
    # Issue names, values and negotiator names come from a scenario file: text, not
    # rich markup (a value "a [/]" ended the command with MarkupError).
    trace.add_column(Text(", ".join(space.issue_names)))
    for name in ufuns:
        trace.add_column(f"u({escape(name)})", justify="right")
    for event in sink.events:
        p = event.payload
        if event.type == EventType.OFFER:
            action, outcome = "offers", tuple(p["outcome"])
        elif event.type == EventType.RESPONSE and p["response"] != "reject":
            action, outcome = p["response"], tuple(p["offer"])
        else:
            continue
        trace.add_row(
            str(p["round"]),
            Text(str(p["negotiator"])),
            action,
            Text(_describe(outcome)),
            *(f"{float(u(outcome)):.3f}" for u in ufuns.values()),
        )
    return trace


def result_panel(mechanism: SAOMechanism, ufuns: dict[str, UtilityFunction]) -> Panel:
    """The result of a finished negotiation: agreement, utilities, and the agreement's
    distances in utility space to the Pareto frontier, the Nash and the Kalai points."""
    from palaver.report.negotiation_data import mechanism_trace

    state = mechanism.state
    space = mechanism.outcome_space
    if state.agreement is None:
        reserved = ", ".join(f"{escape(name)} {u.reserved_value:g}" for name, u in ufuns.items())
        body = (
            f"[bold red]no agreement[/] ({state.result}) after {state.step} rounds; "
            f"each gets its reserved value ({reserved})"
        )
        return Panel(body, title="result")
    utilities = ", ".join(f"{escape(name)} {u(state.agreement):.3f}" for name, u in ufuns.items())
    distances = mechanism_trace(mechanism).distances()
    body = (
        f"[bold green]agreement[/] after {state.step} rounds: "
        f"{escape(', '.join(f'{k}={v}' for k, v in space.to_dict(state.agreement).items()))}\n"
        f"utilities: {utilities}\n"
        "distance in utility space to "
        + ", ".join(f"{name.capitalize()} {value:.3f}" for name, value in distances.items())
        + " (0 is on it)"
    )
    return Panel(body, title="result")


def traced_mechanism(
    space: OutcomeSpace, steps: int, seed: int, run_id: str
) -> tuple[SAOMechanism, ListSink]:
    """An ``SAOMechanism`` whose events go to the returned sink (for :func:`trace_table`)."""
    bus = EventBus(run_id=run_id)
    sink = ListSink()
    bus.add_sink(sink)
    return SAOMechanism(outcome_space=space, n_steps=steps, seed=seed, bus=bus), sink


def negotiate_demo(
    seed: int,
    steps: int,
    strategy: str,
    opponent: str,
    console: Console,
    summary_only: bool = False,
) -> SAOMechanism:
    """Run the demo negotiation and print its trace (unless ``summary_only``) and its
    result; return the mechanism."""
    space, seller_ufun, buyer_ufun = scenario(seed)
    seller = STRATEGIES[strategy]("seller", seller_ufun)
    buyer = STRATEGIES[opponent]("buyer", buyer_ufun)
    mechanism, sink = traced_mechanism(space, steps, seed, f"demo-{seed}")
    mechanism.add(seller)
    mechanism.add(buyer)
    mechanism.run()
    ufuns = {"seller": seller_ufun, "buyer": buyer_ufun}
    if not summary_only:
        title = f"{strategy} seller vs {opponent} buyer (seed {seed}, {steps} rounds)"
        console.print(trace_table(title, space, sink, ufuns))
    console.print(result_panel(mechanism, ufuns))
    return mechanism


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""

    @app.command("negotiate")
    def negotiate(
        seed: Annotated[
            int, typer.Option("--seed", help="Seed of the scenario (0 to 2^63-1).")
        ] = 0,
        steps: Annotated[
            int, typer.Option("--steps", help=f"Round limit (1 to {MAX_STEPS}).")
        ] = 100,
        strategy: Annotated[
            str, typer.Option("--strategy", help=f"The seller's strategy: {_NAMES}.")
        ] = "boulware",
        opponent: Annotated[
            str, typer.Option("--opponent", help=f"The buyer's strategy: {_NAMES}.")
        ] = "linear",
        summary_only: Annotated[
            bool,
            typer.Option("--summary-only", "-q", help="Print only the result, not every offer."),
        ] = False,
        scenario_path: Annotated[
            Path | None,
            typer.Option(
                "--scenario",
                help="A scenario to negotiate on (Genius folder, GeniusWeb or Palaver JSON); "
                "prints the distances to the Pareto frontier, Nash and Kalai points.",
            ),
        ] = None,
    ) -> None:
        """Run a seller and a buyer through SAO on price, quantity and delivery."""
        check_range("--seed", seed, 0, MAX_SEED)
        check_range("--steps", steps, 1, MAX_STEPS)
        for label, value in (("--strategy", strategy), ("--opponent", opponent)):
            if value not in STRATEGIES:
                fail(f"{label} {value!r}: not one of {_NAMES}")
        if scenario_path is not None:
            from palaver.cli.negotiate_scenario import negotiate_scenario

            try:
                negotiate_scenario(
                    scenario_path, seed, steps, strategy, opponent, Console(), summary_only
                )
            except ValueError as exc:  # ScenarioError included: names the file
                fail(str(exc))
            return
        negotiate_demo(seed, steps, strategy, opponent, Console(), summary_only=summary_only)
