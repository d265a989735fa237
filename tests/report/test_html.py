"""The HTML report (self-contained, small, complete) and notebook display."""

from __future__ import annotations

import json
import re
import tomllib
from importlib import import_module
from pathlib import Path

import pytest
from typer.testing import CliRunner

import palaver.recording as recording
from palaver.cli.app import app
from palaver.events import display
from palaver.report import report_html, write_report
from palaver.tournaments import load_results

ROOT = Path(__file__).resolve().parents[2]


def external_references(page: str) -> list[str]:
    """Anything the page would fetch: src/href to another place, CSS imports, url(...)."""
    found = re.findall(r'(?:src|href)\s*=\s*"(?!data:|#)([^"]*)"', page)
    found += re.findall(r"@import|url\((?!data:)[^)]*\)", page)
    return found


def test_recording_report_is_self_contained_small_and_complete(
    demo_recording: Path, tmp_path: Path
) -> None:
    out = write_report(demo_recording, tmp_path / "report.html")
    page = out.read_text(encoding="utf-8")
    assert out.stat().st_size < 5_000_000
    assert external_references(page) == []
    assert "<script src" not in page and "<link" not in page
    for title in (
        "Negotiations per step",
        "Contracts per step",
        "Agents over time",
        "Breaches by agent",
        "Contract graph",
    ):
        assert f'data-plot="{title}"' in page
    assert page.count('src="data:image/png;base64,') >= 6
    with recording.open(demo_recording) as reader:
        assert reader.simulation_id in page
        _, per_type = reader.counts()
    assert 'id="agents"' in page and "smart00" in page
    data = re.search(r'<script type="application/json" id="step-data">(.*?)</script>', page)
    assert data is not None
    steps = json.loads(data.group(1))
    assert [s["step"] for s in steps] == list(range(20))
    assert sum(s["requested"] for s in steps) == per_type["negotiation_requested"]
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_tournament_report(trips_results: Path) -> None:
    page = report_html(trips_results)
    assert external_references(page) == []
    for title in ("Ranking", "Score distributions", "Win matrix"):
        assert f'data-plot="{title}"' in page
    assert 'id="ranking"' in page and "smart-reliable" in page and "report-trips" in page


def test_a_damaged_tournament_manifest_is_named(trips_results: Path, tmp_path: Path) -> None:
    # It was read as a recording: "neither a recording nor a tournament (no events/ folder)".
    import shutil

    from palaver.report import ReportError

    damaged = tmp_path / "results"
    shutil.copytree(trips_results, damaged)
    (damaged / "manifest.json").write_text("garbage", encoding="utf-8")
    with pytest.raises(ReportError, match=r"manifest\.json cannot be read"):
        report_html(damaged)


def test_a_report_under_a_file_says_it_is_a_file(trips_results: Path, tmp_path: Path) -> None:
    """Not "the folder ... does not exist": it does, as a file."""
    from palaver.report import ReportError

    plain = tmp_path / "notes.txt"
    plain.write_text("mine", encoding="utf-8")
    with pytest.raises(ReportError, match=r"notes\.txt is a file, not a folder"):
        write_report(trips_results, plain / "r.html")
    with pytest.raises(ReportError, match=r"missing does not exist"):
        write_report(trips_results, tmp_path / "missing" / "r.html")
    assert plain.read_text(encoding="utf-8") == "mine"


def test_report_file_is_readable_by_others_and_empty_fields_show_a_dash(
    demo_recording: Path, tmp_path: Path
) -> None:
    # mkstemp's 0600 stayed on the report (unreadable by a web server or a colleague),
    # and a manifest field the run did not set was shown as "None".
    import os

    out = write_report(demo_recording, tmp_path / "r.html")
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    assert "<td>None</td>" not in out.read_text(encoding="utf-8")
    from palaver.report.page import key_value_table

    assert (
        key_value_table([("run id", None)])
        == '<table id="summary"><tr><th>run id</th><td>-</td></tr></table>'
    )


def test_report_command(demo_recording: Path, trips_results: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r.html"
    # The folder a recorder wrote into (holding one recording) is accepted too.
    result = runner.invoke(app, ["report", str(demo_recording.parent), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output and out.stat().st_size > 100_000
    result = runner.invoke(app, ["report", str(trips_results), "-o", str(out)])
    assert result.exit_code == 0 and "Tournament" in out.read_text(encoding="utf-8")


def test_notebook_display(demo_recording: Path, trips_results: Path) -> None:
    import palaver.report  # noqa: F401  (registers the renderers, as the entry point does)
    from palaver.cli.negotiate import scenario
    from palaver.mechanisms import SAOMechanism
    from palaver.negotiators import AspirationNegotiator

    space, seller, buyer = scenario(0)
    mechanism = SAOMechanism(outcome_space=space, n_steps=50, seed=0)
    mechanism.add(AspirationNegotiator(name="seller", ufun=seller))
    mechanism.add(AspirationNegotiator(name="buyer", ufun=buyer, aspiration_type="linear"))
    mechanism.run()
    shown = mechanism._repr_html_()
    assert 'id="negotiation"' in shown and "distance to nash" in shown and "<img" in shown
    with recording.open(demo_recording) as reader:
        shown = reader._repr_html_()
    assert 'id="recording"' in shown and "TripsWorld" in shown and "<img" in shown
    shown = load_results(trips_results)._repr_html_()
    assert 'id="ranking"' in shown and "smart" in shown and "<img" in shown


def test_display_falls_back_to_the_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(display, "_RENDERERS", {})
    monkeypatch.setattr(display, "_loaded", True)
    assert display.html("mechanism", "<x>") == "<pre>&#x27;&lt;x&gt;&#x27;</pre>"

    def broken(obj: object) -> str:
        raise RuntimeError("no plot today")

    display.register_html("mechanism", broken)
    assert "display failed: RuntimeError: no plot today" in display.html("mechanism", 1)


def test_the_entry_point_registers_the_renderers(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyproject declares the renderers under the group palaver.events.display reads."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    entries = project["project"]["entry-points"][display.ENTRY_POINT_GROUP]
    module, _, attr = entries["report"].partition(":")
    monkeypatch.setattr(display, "_RENDERERS", {})
    getattr(import_module(module), attr)()
    assert set(display._RENDERERS) == {
        "mechanism",
        "recording",
        "tournament",
        "negotiation_tournament",
    }


def test_renderers_are_found_through_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without importing palaver.report first, the display finds it as a plug-in."""
    from importlib import metadata

    found = metadata.EntryPoint(
        name="report", value="palaver.report.notebook:register", group=display.ENTRY_POINT_GROUP
    )
    asked: list[str] = []

    def entry_points(group: str) -> list[metadata.EntryPoint]:
        asked.append(group)
        return [found]

    monkeypatch.setattr(display, "_RENDERERS", {})
    monkeypatch.setattr(display, "_loaded", False)
    monkeypatch.setattr(display.metadata, "entry_points", entry_points)
    html = display.html("tournament", object())
    assert asked == ["palaver.html"] and "tournament" in display._RENDERERS
    assert "display failed" in html  # an object that is no results: the repr, and why


def test_a_fifo_in_a_results_folder_is_named_not_waited_on(
    trips_results: Path, tmp_path: Path
) -> None:
    # Reading the FIFO put in place of a world's stats part blocked the report forever.
    import os
    import shutil
    import subprocess
    import sys

    folder = tmp_path / "results"
    shutil.copytree(trips_results, folder)
    victim = sorted((folder / "stats").iterdir())[0]
    victim.unlink()
    os.mkfifo(victim)
    out = tmp_path / "r.html"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "palaver.cli.app", "report", str(folder), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert 'id="incomplete"' in page
    assert f"stats/{victim.name} is not a regular file" in page


def test_a_damaged_recording_is_named_as_damaged(demo_recording: Path, tmp_path: Path) -> None:
    # It was "neither a Palaver recording nor a tournament results folder (... damaged ...)".
    from palaver.report import ReportError

    bad = tmp_path / "events.parquet"
    bad.write_bytes(b"PAR1" + bytes(range(256)) * 8 + b"\x10\x00\x00\x00PAR1")
    with pytest.raises(ReportError) as caught:
        report_html(bad)
    assert str(bad) in str(caught.value) and "neither" not in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("bad", [5, None, ""])
def test_a_path_that_is_not_a_path_names_the_parameter(
    demo_recording: Path, tmp_path: Path, bad: object
) -> None:
    """Python's "expected str, bytes or os.PathLike object, not int" named neither."""
    out = tmp_path / "r.html"
    with pytest.raises(TypeError, match=r"^path must be a str or a path"):
        report_html(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^path must be a str or a path"):
        write_report(bad, out)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^out must be a str or a path") as info:
        write_report(demo_recording, bad)  # type: ignore[arg-type]
    assert repr(bad) in str(info.value) and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["results-folder", 3, None])
def test_the_builders_name_an_argument_that_is_not_what_they_draw(bad: object) -> None:
    # A folder path given for loaded results, or a number, failed inside with an
    # AttributeError ("'str' object has no attribute 'table'").
    from palaver import report

    calls = [
        ("results", report.tournament_report),
        ("results", report.tournament_figures),
        ("results", report.results_html),
        ("results", report.party_metrics),
        ("results", report.negotiation_tournament_figures),
        ("results", report.negotiation_tournament_report),
        ("reader", report.recording_report),
        ("reader", report.reader_html),
        ("mechanism", report.mechanism_html),
    ]
    for name, call in calls:
        with pytest.raises(TypeError, match=rf"^{name} must be a .*got {re.escape(repr(bad))}"):
            call(bad)
