"""``palaver run`` prints the folders it wrote as the user named them."""

from __future__ import annotations

from pathlib import Path

from tests.cli.cli_helpers import palaver


def test_folders_that_look_like_markup_are_printed_as_named(tmp_path: Path) -> None:
    # A --record folder "r[/]" ended the run with "unexpected MarkupError" (exit 1)
    # after the world had run and been recorded.
    record, out = tmp_path / "r[/]", tmp_path / "o[b]"
    shown = palaver(
        "run", "trips", "--agents", "2", "--steps", "1", "--seed", "1",
        "--record", str(record), "--out", str(out),
    )  # fmt: skip
    assert shown.code == 0, shown.output
    [folder] = record.glob("simulation_*")
    assert f"recording: {folder}" in shown.stdout
    assert f"palaver inspect {folder}" in shown.stdout
    assert f"logs and stats written to {out}" in shown.stdout
