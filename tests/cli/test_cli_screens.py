"""What each command shows, at 80 and at 200 columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_helpers import palaver

import palaver.recording as recording

WIDTHS = [80, 200]
COMMANDS = [
    [],
    ["run"],
    ["negotiate"],
    ["inspect"],
    ["export"],
    ["report"],
    ["tournament"],
    ["tournament", "run"],
    ["tournament", "show"],
    ["verify"],
]


def fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert len(line) <= width, f"{len(line)} > {width}: {line!r}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "palaver")
def test_help_shows_no_value_type_after_flags(command: list[str], width: int) -> None:
    result = palaver(*command, "--help", columns=width)
    assert result.code == 0, result.output
    assert "<bool>" not in result.output
    fits(result.stdout, width)


@pytest.mark.parametrize("command", [["run"], ["negotiate"]])
def test_seed_help_states_the_range_the_command_takes(command: list[str]) -> None:
    text = " ".join(palaver(*command, "--help").stdout.split())
    assert "0 to 2^63-1" in text
    accepted = palaver("negotiate", "--seed", str(2**40), "--steps", "2", "-q")
    assert accepted.code == 0, accepted.output


def test_tournament_help_says_a_config_is_code() -> None:
    text = " ".join(palaver("tournament", "run", "--help").stdout.split())
    assert "A config is code" in text and "--allow" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_inspect_summary(small_recording: Path, width: int) -> None:
    result = palaver("inspect", str(small_recording), columns=width)
    assert result.code == 0, result.output
    fits(result.stdout, width)
    status = next(line for line in result.stdout.splitlines() if line.startswith("status"))
    assert status.split() == ["status", "completed"]  # not "completed (completed)"
    assert "Events per type" in result.stdout and "Contracts and breaches" in result.stdout


@pytest.mark.parametrize("width", WIDTHS)
def test_inspect_events_use_the_width(small_recording: Path, width: int) -> None:
    with recording.open(small_recording) as reader:
        sid = reader.simulation_id
        n = len(reader.get_agent_events("smart00"))
    result = palaver(
        "inspect", str(small_recording), "--agent", "smart00", "--limit", "5", columns=width
    )
    assert result.code == 0, result.output
    fits(result.stdout, width)
    # The simulation id is said once (title), not on every row.
    assert result.stdout.count(sid) == 1
    # Its own events, and those of its negotiations and contracts (no agent_id).
    said = re.search(
        rf"Timeline of agent smart00: (\d+) events \({n} its own, (\d+) of", result.stdout
    )
    assert said is not None and int(said[1]) == n + int(said[2])
    header = next(line for line in result.stdout.splitlines() if "content" in line)
    content = header[header.index("content") - 1 :].split("┃")[0]
    assert len(content) >= (24 if width == 80 else 100)
    assert f"... {int(said[1]) - 5} more" in result.stdout
    # The content is never cut: the whole first payload is in the (wrapped) table.
    with recording.open(small_recording) as reader:
        first = reader.get_agent_events("smart00")[0].content
    flat = re.sub(r"[\s│┃]", "", result.stdout)
    assert re.sub(r"\s", "", str(first["request_id"])) in flat


def test_inspect_filters(small_recording: Path) -> None:
    with recording.open(small_recording) as reader:
        offers = len(reader.get_events_by_type("offer"))
        at_step_1 = len(reader.get_events_by_step(1))
        negotiation = reader.get_events_by_type("negotiation_started")[0]
        neg_id = reader.sql(
            "SELECT negotiation_id FROM events WHERE event_type = 'negotiation_started' LIMIT 1"
        ).fetchall()[0][0]
        in_negotiation = reader.sql(
            f"SELECT count(*) FROM events WHERE negotiation_id = '{neg_id}'"
        ).fetchall()[0][0]
    assert negotiation is not None
    checks = [
        (["--type", "offer"], offers),
        (["--step", "1"], at_step_1),
        (["--negotiation", neg_id], in_negotiation),
    ]
    for args, n in checks:
        result = palaver("inspect", str(small_recording), *args, "--limit", "0")
        assert result.code == 0, result.output
        assert f": {n} events" in result.stdout, args
        assert "more (--limit 0" not in result.stdout
    with recording.open(small_recording) as reader:
        mine = reader.sql(
            "SELECT count(*) FROM events WHERE event_type = 'offer' AND agent_id = 'smart00'"
        ).fetchall()[0][0]
    both = palaver("inspect", str(small_recording), "--type", "offer", "--agent", "smart00")
    assert both.code == 0 and f"Timeline of agent smart00, type offer: {mine} events" in both.stdout


def test_run_record_then_inspect_and_report(tmp_path: Path) -> None:
    folder = tmp_path / "runs"
    result = palaver(
        "run",
        "trips",
        "--agents",
        "4",
        "--steps",
        "3",
        "--seed",
        "2",
        "--record",
        str(folder),
        columns=80,
    )
    assert result.code == 0, result.output
    recorded = next(folder.glob("simulation_*"))
    assert f"recording: {recorded}" in " ".join(result.stdout.split()).replace("\n", "")
    # The folder given to --record is enough for inspect and report.
    assert palaver("inspect", str(folder)).code == 0
    out = tmp_path / "r.html"
    assert palaver("report", str(folder), "-o", str(out)).code == 0 and out.exists()
    logs = tmp_path / "logs"
    assert palaver("run", "trips", "--agents", "3", "--steps", "2", "--out", str(logs)).code == 0
    refused = palaver("inspect", str(logs))
    assert refused.code == 1 and "--record" in refused.stderr


@pytest.mark.parametrize("width", WIDTHS)
def test_negotiate_summary_only(width: int) -> None:
    full = palaver("negotiate", "--steps", "1000", columns=width)
    short = palaver("negotiate", "--steps", "1000", "--summary-only", columns=width)
    assert full.code == short.code == 0
    assert len(short.stdout.splitlines()) < 10 < len(full.stdout.splitlines())
    fits(short.stdout, width)
    text = " ".join(short.stdout.replace("│", " ").split())
    assert re.search(
        r"distance in utility space to Pareto \d\.\d{3}, Nash \d\.\d{3}, "
        r"Kalai \d\.\d{3}",
        text,
    ), text
    assert "agreement after" in text


def test_negotiate_knows_every_short_name_a_tournament_does() -> None:
    from palaver.cli.negotiate import STRATEGIES
    from palaver.tournaments.negotiation import BUILTIN

    assert set(STRATEGIES) == set(BUILTIN)
    for name in ("aspiration", "naivetitfortat"):
        shown = palaver("negotiate", "--steps", "50", "--strategy", name, "--opponent", name)
        assert shown.code == 0, shown.output
        assert f"{name} seller vs {name} buyer" in shown.stdout


@pytest.mark.parametrize("width", WIDTHS)
def test_run_summary_fits(width: int, tmp_path: Path) -> None:
    result = palaver("run", "trips", "--agents", "3", "--steps", "2", "--seed", "1", columns=width)
    assert result.code == 0, result.output
    fits(result.stdout, width)


@pytest.fixture(scope="module")
def small_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from palaver.tournaments import Competitor, TournamentConfig, run_tournament

    out = tmp_path_factory.mktemp("results") / "out"
    config = TournamentConfig(
        name="screens",
        world="palaver.examples.trips:TripsWorld",
        competitors=[
            Competitor("palaver.examples.trips:RandomPerson", name="random"),
            Competitor("palaver.examples.trips:SmartPerson", name="smart-with-a-long-name"),
        ],
        world_params={"n_steps": 2},
        repetitions=2,
        seed=3,
    )
    run_tournament(config, out, executor="serial", progress=False)
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_tournament_show_and_report_fit(small_results: Path, width: int, tmp_path: Path) -> None:
    shown = palaver("tournament", "show", str(small_results), "--failures", columns=width)
    assert shown.code == 0, shown.output
    fits(shown.stdout, width)
    assert "Ranking" in shown.stdout and "smart-with-a-long-name" in shown.stdout
    out = tmp_path / "t.html"
    written = palaver("report", str(small_results), "-o", str(out), columns=width)
    assert written.code == 0 and out.exists()
    fits(written.stdout, max(width, len(str(out)) + 20))


def test_win_matrix_title_is_one_line_at_80_columns(tmp_path: Path) -> None:
    # The title was the table's: wrapped to a two-competitor matrix's width, three lines.
    from palaver.tournaments import Competitor, TournamentConfig, run_tournament

    config = TournamentConfig(
        name="title",
        world="palaver.examples.trips:TripsWorld",
        competitors=[
            Competitor("palaver.examples.trips:RandomPerson", name="random"),
            Competitor("palaver.examples.trips:SmartPerson", name="smart"),
        ],
        agents_per_competitor=1,
        world_params={"n_steps": 2},
        seed=1,
    )
    run_tournament(config, tmp_path / "t", executor="serial", progress=False)
    result = palaver("tournament", "show", str(tmp_path / "t"), columns=80)
    assert result.code == 0, result.output
    title = "Win matrix: share of shared worlds in which the row beat the column"
    assert title in result.stdout.splitlines(), result.stdout


@pytest.fixture(scope="module")
def small_league(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small negotiation tournament's folder."""
    from palaver.scenarios.generators import anl_scenarios
    from palaver.tournaments.negotiation import cartesian_tournament

    out = tmp_path_factory.mktemp("league") / "league"
    cartesian_tournament(
        ["boulware", "conceder", "micro"],
        anl_scenarios(1, n_outcomes=(20, 30), seed=2),
        n_repetitions=1,
        n_steps=15,
        path=out,
        executor="serial",
        seed=1,
    )
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_negotiation_tournament_show_and_report_fit(
    small_league: Path, width: int, tmp_path: Path
) -> None:
    shown = palaver("tournament", "show", str(small_league), columns=width)
    assert shown.code == 0, shown.output
    fits(shown.stdout, width)
    lines = shown.stdout.splitlines()
    # Titles are one line each, and no competitor's name is cut short.
    assert "Ranking: mean advantage (95% confidence interval of the mean)" in lines
    assert "Pairwise Welch t-tests on advantage (Holm-corrected)" in lines
    assert "…" not in shown.stdout
    out = tmp_path / "league.html"
    written = palaver("report", str(small_league), "-o", str(out), columns=width)
    assert written.code == 0 and 'data-plot="Distance to Pareto per competitor"' in out.read_text()
    verified = palaver("verify", str(small_league), columns=width)
    assert verified.code == 0 and verified.stdout.startswith("OK")
    fits(verified.stdout, max(width, len(str(small_league)) + 40))


def test_inspect_lists_integer_agents_in_numeric_order(tmp_path: Path) -> None:
    class Clock:
        steps = 1

    rec = recording.SimulationRecorder(Clock(), output_dir=tmp_path, record_state_changes=False)
    for agent in (10, 2, 1, "b", "a"):
        rec.record_event("tick", {"n": 1}, agent_id=agent)
    rec.close()
    result = palaver("inspect", str(rec.folder), columns=200)
    assert result.code == 0, result.output
    table = result.stdout.split("Events per agent")[1]
    row = re.compile(r"^\W*\s*\w+\s+\W\s+1\s+\W")
    rows = [line.split()[1] for line in table.splitlines() if row.match(line)]
    assert rows == ["1", "2", "10", "a", "b"], table
