"""Bad invocations of every ``palaver`` command, black-box through the console
script's entry point.

Each row: the arguments, and fragments the output must hold (the option and
the bad value). Bar: a non-zero exit status, no traceback, no interpreter or
dependency message, and nothing written where the invocation was refused.
Rows marked ``xfail`` are defects of the command line, reported to the lead.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fault_helpers import FIGURES, RAW_MESSAGES, record, row_params

from palaver.cli.app import main

TOML = """
name = "bad-cli"
world = "palaver.examples.trips:TripsWorld"
seed = 1
[world_params]
n_steps = 2
[[competitors]]
type = "palaver.examples.trips:RandomPerson"
[[competitors]]
type = "palaver.examples.trips:SmartPerson"
"""


class Files:
    """What the invocations refer to (made once per module)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.rec = str(record(root / "rec", n_steps=2))
        self.toml_path = root / "t.toml"
        self.toml_path.write_text(TOML)
        self.toml = str(self.toml_path)
        self.text = root / "notes.txt"
        self.text.write_text("not a recording")
        self.run_logs = root / "logs"  # a folder holding a run's files
        self.run_logs.mkdir()
        (self.run_logs / "stats.json").write_text("{}")
        self._fifos = 0
        self.negotiation_toml = str(root / "n.toml")
        (root / "n.toml").write_text(
            '[negotiation]\ncompetitors = ["boulware"]\nn_steps = 5\n'
            "[negotiation.generate]\nn_scenarios = 1\nn_outcomes = 10\n"
        )
        self.latin1_toml = str(root / "latin1.toml")
        (root / "latin1.toml").write_bytes(b"\xff\xfe[negotiation]\n")

    @property
    def fifo(self) -> Path:
        """A new FIFO (a row that wrongly writes to one cannot spoil the next rows)."""
        self._fifos += 1
        path = self.root / f"fifo{self._fifos}"
        os.mkfifo(path)
        return path

    def config(self, old: str, new: str) -> str:
        path = self.root / f"c{abs(hash((old, new)))}.toml"
        path.write_text(TOML.replace(old, new))
        return str(path)


Row = tuple[str, Callable[[Files], list[str]], tuple[str, ...]]
CASES: list[Row] = [
    # no command, unknown command or option
    ("no command", lambda f: [], ("Usage",)),
    ("unknown command", lambda f: ["frobnicate"], ("frobnicate",)),
    ("unknown option", lambda f: ["run", "trips", "--colour", "red"], ("--colour",)),
    # run
    ("run steps str", lambda f: ["run", "trips", "--steps", "ten"], ("--steps", "ten")),
    ("run steps float", lambda f: ["run", "trips", "--steps", "1.5"], ("--steps", "1.5")),
    ("run steps huge", lambda f: ["run", "trips", "--steps", "10000000"], ("--steps", "10000000")),
    ("run agents zero", lambda f: ["run", "trips", "--agents", "0"], ("--agents", "0")),
    ("run seed str", lambda f: ["run", "trips", "--seed", "x"], ("--seed", "x")),
    ("run seed negative", lambda f: ["run", "trips", "--seed", "-1"], ("--seed", "-1")),
    ("run unknown world", lambda f: ["run", "mars"], ("'mars'",)),
    (
        "run out a file",
        lambda f: ["run", "trips", "--steps", "1", "--out", str(f.text)],
        ("notes.txt",),
    ),
    (
        "run out a folder holding a run",
        lambda f: ["run", "trips", "--steps", "1", "--out", str(f.run_logs)],
        ("--out", "already holds a run's files"),
    ),
    (
        "run out a folder that cannot be made",
        lambda f: ["run", "trips", "--steps", "1", "--out", str(f.text / "sub")],
        ("--out", "cannot create the folder"),
    ),
    (
        "run record a fifo",
        lambda f: ["run", "trips", "--steps", "1", "--record", str(f.fifo)],
        ("fifo",),
    ),
    # negotiate
    ("negotiate steps zero", lambda f: ["negotiate", "--steps", "0"], ("--steps", "0")),
    ("negotiate steps str", lambda f: ["negotiate", "--steps", "x"], ("--steps", "x")),
    ("negotiate strategy", lambda f: ["negotiate", "--strategy", "nope"], ("--strategy", "nope")),
    ("negotiate opponent", lambda f: ["negotiate", "--opponent", "nope"], ("--opponent", "nope")),
    ("negotiate seed huge", lambda f: ["negotiate", "--seed", str(2**63)], ("--seed", str(2**63))),
    (
        "negotiate scenario missing",
        lambda f: ["negotiate", "--scenario", "/nonexistent/s"],
        ("/nonexistent/s",),
    ),
    ("negotiate scenario text", lambda f: ["negotiate", "--scenario", str(f.text)], ("notes.txt",)),
    ("negotiate scenario fifo", lambda f: ["negotiate", "--scenario", str(f.fifo)], ("fifo",)),
    # inspect
    ("inspect missing", lambda f: ["inspect", "/nonexistent/r"], ("/nonexistent/r",)),
    ("inspect a text file", lambda f: ["inspect", str(f.text)], ("notes.txt",)),
    ("inspect a fifo", lambda f: ["inspect", str(f.fifo)], ("fifo",)),
    ("inspect step str", lambda f: ["inspect", f.rec, "--step", "x"], ("--step", "x")),
    ("inspect step negative", lambda f: ["inspect", f.rec, "--step", "-3"], ("--step", "-3")),
    ("inspect limit str", lambda f: ["inspect", f.rec, "--limit", "all"], ("--limit", "all")),
    ("inspect limit negative", lambda f: ["inspect", f.rec, "--limit", "-1"], ("--limit", "-1")),
    ("inspect unknown type", lambda f: ["inspect", f.rec, "--type", "nope"], ("--type", "nope")),
    (
        "inspect unknown agent",
        lambda f: ["inspect", f.rec, "--agent", "nobody"],
        ("--agent", "nobody"),
    ),
    (
        "inspect unknown negotiation",
        lambda f: ["inspect", f.rec, "--negotiation", "n9"],
        ("--negotiation", "n9"),
    ),
    # export
    ("export no json", lambda f: ["export", f.rec], ("--json",)),
    (
        "export missing",
        lambda f: ["export", "/nonexistent/r", "--json", str(f.root / "x.json")],
        ("/nonexistent/r",),
    ),
    ("export to a folder", lambda f: ["export", f.rec, "--json", str(f.root)], ("--json",)),
    (
        "export into missing folder",
        lambda f: ["export", f.rec, "--json", "/nonexistent/x.json"],
        ("/nonexistent",),
    ),
    (
        "export a text file",
        lambda f: ["export", str(f.text), "--json", str(f.root / "y.json")],
        ("notes.txt",),
    ),
    # report
    (
        "report missing",
        lambda f: ["report", "/nonexistent/r", "-o", str(f.root / "r.html")],
        ("/nonexistent/r",),
    ),
    ("report to a folder", lambda f: ["report", f.rec, "-o", str(f.root)], ("is a folder",)),
    (
        "report a text file",
        lambda f: ["report", str(f.text), "-o", str(f.root / "r.html")],
        ("notes.txt",),
    ),
    ("report to a fifo", lambda f: ["report", f.rec, "-o", str(f.fifo)], ("fifo",)),
    # verify
    ("verify missing", lambda f: ["verify", "/nonexistent/r"], ("/nonexistent/r",)),
    ("verify a text file", lambda f: ["verify", str(f.text)], ("notes.txt",)),
    ("verify a fifo", lambda f: ["verify", str(f.fifo)], ("fifo",)),
    ("verify empty folder", lambda f: ["verify", str(f.root / "empty")], ("empty",)),
    # tournament
    ("tournament no subcommand", lambda f: ["tournament"], ("Usage",)),
    ("tournament run no out", lambda f: ["tournament", "run", f.toml], ("--out",)),
    (
        "tournament run negotiation file --record",
        lambda f: ["tournament", "run", f.negotiation_toml, "-o", str(f.root / "o9"), "--record"],
        ("--record", "negotiation tournament"),
    ),
    (
        "tournament run config not utf-8",
        lambda f: ["tournament", "run", f.latin1_toml, "-o", str(f.root / "o10")],
        ("latin1.toml", "UTF-8"),
    ),
    (
        "tournament run missing config",
        lambda f: ["tournament", "run", "/nonexistent/t.toml", "-o", str(f.root / "o1")],
        ("/nonexistent/t.toml",),
    ),
    (
        "tournament run config fifo",
        lambda f: ["tournament", "run", str(f.fifo), "-o", str(f.root / "o2")],
        ("fifo",),
    ),
    (
        "tournament run executor",
        lambda f: ["tournament", "run", f.toml, "-o", str(f.root / "o3"), "-e", "threads"],
        ("threads",),
    ),
    (
        "tournament run workers str",
        lambda f: ["tournament", "run", f.toml, "-o", str(f.root / "o4"), "-w", "many"],
        ("--workers", "many"),
    ),
    (
        "tournament run workers zero",
        lambda f: ["tournament", "run", f.toml, "-o", str(f.root / "o5"), "-w", "0"],
        ("--workers", "0"),
    ),
    (
        "tournament run address serial",
        lambda f: [
            "tournament",
            "run",
            f.toml,
            "-o",
            str(f.root / "o6"),
            "-e",
            "serial",
            "--address",
            "ray://x:1",
        ],
        ("address",),
    ),
    (
        "tournament run out a file",
        lambda f: ["tournament", "run", f.toml, "-o", str(f.text), "-e", "serial"],
        ("notes.txt",),
    ),
    (
        "tournament run sweep str",
        lambda f: [
            "tournament",
            "run",
            f.config("[world_params]", 'sweep = { q = "28" }\n[world_params]'),
            "-o",
            str(f.root / "o7"),
            "-e",
            "serial",
        ],
        ("sweep 'q'", "'28'"),
    ),
    (
        "tournament run agents 1.5",
        lambda f: [
            "tournament",
            "run",
            f.config("seed = 1", "seed = 1\nagents_per_competitor = 1.5"),
            "-o",
            str(f.root / "o8"),
            "-e",
            "serial",
        ],
        ("agents_per_competitor", "1.5"),
    ),
    (
        "tournament run seed float",
        lambda f: [
            "tournament",
            "run",
            f.config("seed = 1", "seed = 1.5"),
            "-o",
            str(f.root / "o9"),
            "-e",
            "serial",
        ],
        ("seed", "1.5"),
    ),
    (
        "tournament run bad toml",
        lambda f: [
            "tournament",
            "run",
            f.config("seed = 1", "seed = "),
            "-o",
            str(f.root / "o10"),
            "-e",
            "serial",
        ],
        ("toml",),
    ),
    (
        "tournament run not allowed",
        lambda f: [
            "tournament",
            "run",
            f.toml,
            "-o",
            str(f.root / "o11"),
            "-e",
            "serial",
            "--allow",
            "palaver.x",
            "--allow",
            "",
        ],
        ("--allow",),
    ),
    (
        "tournament show missing",
        lambda f: ["tournament", "show", "/nonexistent/o"],
        ("/nonexistent/o",),
    ),
    ("tournament show a recording", lambda f: ["tournament", "show", f.rec], ("recording",)),
    ("tournament show a text file", lambda f: ["tournament", "show", str(f.text)], ("notes.txt",)),
]

XFAIL: dict[str, str] = {}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    return Files(tmp_path_factory.mktemp("cli"))


def _invoke(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("PALAVER_DEBUG", raising=False)
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize(("name", "make", "fragments", "known"), row_params(CASES, XFAIL))
def test_bad_invocation_is_refused(
    name: str,
    make: Callable[[Files], list[str]],
    fragments: tuple[str, ...],
    known: bool,
    files: Files,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = sorted(p.name for p in files.root.iterdir())
    problem: Any = None
    try:
        code, output = _invoke(make(files), monkeypatch)
    except BaseException as exc:  # a traceback a user would see
        code, output = -1, ""
        problem = f"raised {type(exc).__name__}: {exc}"
    if problem is None:
        flat = " ".join(output.split())
        lacking = [f for f in fragments if f not in flat]
        raw = [r for r in (*RAW_MESSAGES, "Traceback") if r in output]
        if code == 0:
            problem = f"exit status 0: {flat[:300]}"
        elif lacking or raw:
            problem = f"output lacks {lacking} or is raw {raw}: {flat[:300]}"
    after = sorted(p.name for p in files.root.iterdir())
    created = [n for n in after if n not in before and not n.endswith(".toml") and "fifo" not in n]
    if problem is None and created:
        problem = f"a refused invocation left {created}"
    FIGURES.case("bad input: cli", problem is None, f"{name}: {problem}", known=known)
    assert problem is None, f"{name}: {problem}"
