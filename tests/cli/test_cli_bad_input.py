"""Bad invocations, tried as a new user would: each exits non-zero with one clear
line naming the bad value, never a traceback, at 80 and at 200 columns."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import palaver

TOML = """
name = "bad-input"
world = "palaver.examples.trips:TripsWorld"
seed = 1
agents_per_competitor = 1

[world_params]
n_steps = 2

[[competitors]]
name = "random"
type = "palaver.examples.trips:RandomPerson"

[[competitors]]
name = "smart"
type = "palaver.examples.trips:SmartPerson"
join = { breach_prob = 0.0 }
"""


class Paths:
    """The files and folders the cases refer to."""

    def __init__(self, tmp: Path, recording: Path) -> None:
        self.tmp = tmp
        self.rec = str(recording)
        self.out = str(tmp / "results")

    def fifo(self, name: str = "fifo") -> str:
        path = self.tmp / name
        if not path.exists():
            os.mkfifo(path)
        return str(path)

    def damaged_events(self) -> str:
        """An events Parquet file whose footer is garbage (magic bytes intact)."""
        path = self.tmp / "events.parquet"
        path.write_bytes(b"PAR1" + bytes(range(256)) * 8 + b"\x10\x00\x00\x00PAR1")
        return str(path)

    def link(self, name: str, target: Path) -> str:
        path = self.tmp / name
        path.symlink_to(target)
        return str(path)

    def toml(self, old: str = "", new: str = "") -> str:
        text = TOML.replace(old, new) if old else TOML
        assert not old or text != TOML, old
        path = self.tmp / "config.toml"
        path.write_text(text)
        return str(path)


# (id, arguments, exit code, fragments the error line must hold)
CASES: list[tuple[str, Callable[[Paths], list[str]], int, list[str]]] = [
    ("run-negative-seed", lambda p: ["run", "trips", "--seed", "-5"], 2, ["--seed -5"]),
    ("run-huge-seed", lambda p: ["run", "trips", "--seed", str(2**64)], 2, ["--seed", "2"]),
    ("run-one-agent", lambda p: ["run", "trips", "--agents", "1"], 2, ["--agents 1"]),
    ("run-zero-steps", lambda p: ["run", "trips", "--steps", "0"], 2, ["--steps 0"]),
    ("run-unknown-world", lambda p: ["run", "trip"], 2, ["unknown world 'trip'"]),
    (
        "run-record-is-a-file",
        lambda p: ["run", "trips", "--record", p.toml()],
        2,
        ["--record", "is a file"],
    ),
    (
        "export-missing-folder",
        lambda p: ["export", p.rec, "--json", str(p.tmp / "nodir/x.json")],
        2,
        ["--json", "nodir", "does not exist"],
    ),
    (
        "export-under-a-file",
        lambda p: ["export", p.rec, "--json", str(Path(p.toml()) / "x.json")],
        2,
        ["--json", "config.toml is a file, not a folder"],
    ),
    (
        "report-under-a-file",
        lambda p: ["report", p.rec, "-o", str(Path(p.toml()) / "r.html")],
        2,
        ["--out", "config.toml is a file, not a folder"],
    ),
    (
        "export-to-a-folder",
        lambda p: ["export", p.rec, "--json", str(p.tmp)],
        2,
        ["--json", "is a folder"],
    ),
    (
        "export-not-a-recording",
        lambda p: ["export", str(p.tmp), "--json", str(p.tmp / "x.json")],
        1,
        ["holds no Palaver recording"],
    ),
    (
        "show-a-recording",
        lambda p: ["tournament", "show", p.rec],
        2,
        ["is a recording, not a tournament"],
    ),
    (
        "show-a-folder-holding-a-recording",
        lambda p: ["tournament", "show", str(Path(p.rec).parent)],
        2,
        ["holds a recording (simulation_", "palaver inspect"],
    ),
    (
        # Something asked for does not exist: 1, as for inspect, report and verify
        # (it was 2 with "holds no tournament", as if the folder were there).
        "show-nothing",
        lambda p: ["tournament", "show", str(p.tmp / "none")],
        1,
        ["none does not exist"],
    ),
    (
        "show-an-empty-folder",
        lambda p: ["tournament", "show", str(p.tmp)],
        2,
        ["holds no tournament"],
    ),
    (
        "toml-misspelt-world-param",
        lambda p: [
            "tournament",
            "run",
            p.toml("n_steps = 2", "n_step = 2"),
            "-o",
            p.out,
            "-e",
            "serial",
        ],
        2,
        ["'n_step'", "did you mean 'n_steps'"],
    ),
    (
        "toml-misspelt-join-param",
        lambda p: [
            "tournament",
            "run",
            p.toml("breach_prob", "breach_prb"),
            "-o",
            p.out,
            "-e",
            "serial",
        ],
        2,
        ["'breach_prb'", "did you mean 'breach_prob'"],
    ),
    (
        "toml-misspelt-sweep",
        lambda p: [
            "tournament",
            "run",
            p.toml("[world_params]", "sweep = { negotiation_quota = [1, 2] }\n[world_params]"),
            "-o",
            p.out,
            "-e",
            "serial",
        ],
        2,
        ["'negotiation_quota'", "did you mean 'negotiation_quota_per_step'"],
    ),
    (
        "toml-sweep-string",
        lambda p: [
            "tournament",
            "run",
            p.toml(
                "[world_params]", 'sweep = { negotiation_quota_per_step = "28" }\n[world_params]'
            ),
            "-o",
            p.out,
            "-e",
            "serial",
        ],
        2,
        ["sweep 'negotiation_quota_per_step' must be a list", "'28'"],
    ),
    (
        "toml-fractional-agents",
        lambda p: [
            "tournament",
            "run",
            p.toml("agents_per_competitor = 1", "agents_per_competitor = 1.5"),
            "-o",
            p.out,
            "-e",
            "serial",
        ],
        2,
        ["agents_per_competitor must be an integer >= 1, got 1.5"],
    ),
    (
        "toml-bool-repetitions",
        lambda p: [
            "tournament",
            "run",
            p.toml("seed = 1", "seed = 1\nrepetitions = true"),
            "-o",
            p.out,
            "-e",
            "serial",
        ],
        2,
        ["repetitions must be an integer >= 1, got True"],
    ),
    (
        "toml-subprocess-competitor",
        lambda p: [
            "tournament",
            "run",
            p.toml(
                'palaver.examples.trips:RandomPerson"',
                'subprocess:run"\nparams = { args = ["true"] }',
            ),
            "-o",
            p.out,
            "-e",
            "serial",
        ],
        2,
        ["'run' is not an agent class"],
    ),
    (
        "toml-subprocess-world",
        lambda p: [
            "tournament",
            "run",
            p.toml('world = "palaver.examples.trips:TripsWorld"', 'world = "subprocess:Popen"'),
            "-o",
            p.out,
            "-e",
            "serial",
        ],
        2,
        ["'Popen' is a class without join() and run()"],
    ),
    (
        "toml-score-signature",
        lambda p: [
            "tournament",
            "run",
            p.toml("seed = 1", 'seed = 1\nscore = "os:getcwd"'),
            "-o",
            p.out,
            "-e",
            "serial",
        ],
        2,
        ["score", "cannot be called with the world alone"],
    ),
    (
        "toml-not-allowed",
        lambda p: [
            "tournament",
            "run",
            p.toml('world = "palaver.examples.trips:TripsWorld"', 'world = "subprocess:Popen"'),
            "-o",
            p.out,
            "-e",
            "serial",
            "--allow",
            "mypackage",
        ],
        2,
        ["package 'subprocess', which is not allowed", "mypackage"],
    ),
    (
        "tournament-zero-workers",
        lambda p: ["tournament", "run", p.toml(), "-o", p.out, "-w", "0"],
        2,
        ["--workers 0"],
    ),
    (
        "inspect-negative-limit",
        lambda p: ["inspect", p.rec, "--agent", "smart00", "--limit", "-1"],
        2,
        ["--limit -1"],
    ),
    (
        "inspect-unknown-type",
        lambda p: ["inspect", p.rec, "--type", "ofer"],
        1,
        ["--type 'ofer'", "did you mean 'offer'"],
    ),
    (  # a built-in type the recording has no event of is suggested too
        "inspect-near-a-built-in-type",
        lambda p: ["inspect", p.rec, "--type", "checkpont"],
        1,
        ["--type 'checkpont'", "did you mean 'checkpoint'"],
    ),
    (
        "inspect-unknown-agent",
        lambda p: ["inspect", p.rec, "--agent", "smart0"],
        1,
        ["--agent 'smart0'"],
    ),
    (
        "inspect-step-out-of-range",
        lambda p: ["inspect", p.rec, "--step", "99"],
        1,  # a step the recording lacks, as an unknown agent or type: was 2 (refused input)
        ["--step 99", "steps 0 to 2"],
    ),
    (
        "inspect-unknown-negotiation",
        lambda p: ["inspect", p.rec, "--negotiation", "n999"],
        1,
        ["--negotiation 'n999'"],
    ),
    ("inspect-missing", lambda p: ["inspect", str(p.tmp / "missing")], 1, ["does not exist"]),
    ("negotiate-zero-steps", lambda p: ["negotiate", "--steps", "0"], 2, ["--steps 0"]),
    (
        "negotiate-strategy",
        lambda p: ["negotiate", "--strategy", "bolware"],
        2,
        ["--strategy 'bolware'", "boulware"],
    ),
    ("negotiate-negative-seed", lambda p: ["negotiate", "--seed", "-1"], 2, ["--seed -1"]),
    (
        "report-missing",
        lambda p: ["report", str(p.tmp / "missing"), "-o", str(p.tmp / "r.html")],
        1,
        ["does not exist"],
    ),
    ("report-to-a-folder", lambda p: ["report", p.rec, "-o", str(p.tmp)], 2, ["is a folder"]),
    (
        "report-not-html",
        lambda p: ["report", p.rec, "-o", str(p.tmp / "r.txt")],
        2,
        ["r.txt", ".html"],
    ),
    # typer's own checks: one line naming the value (they printed a boxed panel whose
    # "unable to parse string as an integer" did not say which value)
    ("run-float-seed", lambda p: ["run", "trips", "--seed", "1.5"], 2, ["--seed '1.5'", "integer"]),
    ("run-word-agents", lambda p: ["run", "trips", "-a", "ten"], 2, ["'ten'", "integer"]),
    ("negotiate-float-steps", lambda p: ["negotiate", "--steps", "1.5"], 2, ["'1.5'", "integer"]),
    ("run-no-world", lambda p: ["run"], 2, ["Missing argument 'world'"]),
    ("run-extra-argument", lambda p: ["run", "trips", "extra"], 2, ["extra", "palaver run --help"]),
    ("unknown-command", lambda p: ["runn"], 2, ["No such command 'runn'"]),
    ("unknown-option", lambda p: ["inspect", p.rec, "--agnet", "x"], 2, ["--agnet"]),
    ("tournament-no-out", lambda p: ["tournament", "run", p.toml()], 2, ["'--out'"]),
    # huge sizes were accepted and the command hung building a billion agents
    ("run-huge-agents", lambda p: ["run", "trips", "-a", "1000000000"], 2, ["--agents 1000000000"]),
    ("run-huge-steps", lambda p: ["run", "trips", "-s", "10000000000"], 2, ["--steps 10000000000"]),
    ("negotiate-huge-steps", lambda p: ["negotiate", "--steps", str(10**11)], 2, ["--steps 1000"]),
    (
        "tournament-empty-allow",
        lambda p: ["tournament", "run", p.toml(), "-o", p.out, "--allow", ""],
        2,
        ["--allow ''", "package name"],
    ),
    (
        "tournament-path-allow",
        lambda p: ["tournament", "run", p.toml(), "-o", p.out, "--allow", "my/pkg"],
        2,
        ["--allow 'my/pkg'", "package name"],
    ),
    # a FIFO given as the recording: opening it waited for a writer forever
    ("inspect-fifo", lambda p: ["inspect", p.fifo()], 1, ["fifo", "not a file or a folder"]),
    ("export-fifo", lambda p: ["export", p.fifo(), "--json", p.out + ".json"], 1, ["FIFO"]),
    ("report-fifo", lambda p: ["report", p.fifo(), "-o", p.out + ".html"], 1, ["FIFO"]),
    # a damaged events file: one line naming it (not "neither a recording nor ...",
    # and not the Arrow error's several lines)
    (
        "report-damaged-events-file",
        lambda p: ["report", p.damaged_events(), "-o", p.out + ".html"],
        2,
        ["events.parquet"],
    ),
    (
        "inspect-damaged-events-file",
        lambda p: ["inspect", p.damaged_events()],
        1,
        ["events.parquet"],
    ),
    # a FIFO or a folder given as a tournament config was "not a dotted name"
    (
        "tournament-config-fifo",
        lambda p: ["tournament", "run", p.fifo(), "-o", p.out],
        2,
        ["config", "is a FIFO, not a file"],
    ),
    (
        "tournament-config-folder",
        lambda p: ["tournament", "run", str(p.tmp), "-o", p.out],
        2,
        ["config", "is a folder, not a file"],
    ),
    (
        "tournament-out-fifo",
        lambda p: ["tournament", "run", p.toml(), "-o", p.fifo()],
        2,
        ["--out", "is a FIFO"],
    ),
    (
        "tournament-show-fifo",
        lambda p: ["tournament", "show", p.fifo()],
        2,
        ["is a FIFO, not a tournament results folder"],
    ),
    (
        "tournament-show-file",
        lambda p: ["tournament", "show", p.toml()],
        2,
        ["is a file, not a tournament results folder"],
    ),
    # an export or a report onto a FIFO replaced it with a regular file
    (
        "export-json-onto-fifo",
        lambda p: ["export", p.rec, "--json", p.fifo()],
        2,
        ["--json", "is a FIFO, not a regular file"],
    ),
    (
        "report-onto-fifo",
        lambda p: ["report", p.rec, "-o", p.fifo("fifo.html")],
        2,
        ["--out", "is a FIFO, not a regular file"],
    ),
    (
        "report-onto-a-link-to-a-folder",
        lambda p: ["report", p.rec, "-o", p.link("folder.html", p.tmp)],
        2,
        ["--out", "is a folder (the link points to"],
    ),
]


@pytest.mark.parametrize("columns", [80, 200])
@pytest.mark.parametrize(("case", "args", "code", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_bad_invocation(
    case: str,
    args: Callable[[Paths], list[str]],
    code: int,
    fragments: list[str],
    columns: int,
    small_recording: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = Paths(tmp_path, small_recording)
    result = palaver(*args(paths), columns=columns, monkeypatch=monkeypatch)
    assert result.code == code, result.output
    assert "Traceback" not in result.output
    if columns == 200:
        # One line holds the whole message: the value, and what is wrong with it.
        lines = [line for line in result.output.splitlines() if fragments[0] in line]
        assert lines, result.output
        assert all(f in lines[0] for f in fragments), lines[0]
        # ... and nothing else: no usage screen, no panel.
        assert result.output.strip().splitlines() == [lines[0]], result.output
    else:
        flat = " ".join(result.output.split())
        assert all(" ".join(f.split()) in flat for f in fragments[:1]), result.output
    # Nothing ran before the input was refused: no results folder, no stray files.
    assert not (tmp_path / "results" / "worlds").exists()
    assert not list(tmp_path.rglob("*.tmp"))


def test_ctrl_c_during_export_leaves_nothing(
    small_recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Ctrl-C mid-export ended in silence (typer's exit 130) and left x.json.tmp, as
    # large as the export, behind.
    import palaver.recording.export as export

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "_event_lines", interrupted)
    out = tmp_path / "x.json"
    result = palaver("export", str(small_recording), "--json", str(out), monkeypatch=monkeypatch)
    assert result.code == 130, result.output
    assert result.output.strip() == "error: interrupted"
    assert list(tmp_path.iterdir()) == []
