"""``palaver inspect`` shows what a recording holds as written: ids and content
that look like rich markup are text, and non-ASCII text is not escaped."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli.cli_helpers import palaver

from palaver.recording import SimulationRecorder


@pytest.fixture
def odd_recording(tmp_path: Path) -> Path:
    recorder = SimulationRecorder(None, output_dir=tmp_path)
    recorder.record_event(
        "note", {"text": "[bold red]alarm[/bold red] café 日本", "x": "[/]"}, agent_id="[b]ag[/b]"
    )
    recorder.record_event("message", "grüß dich", agent_id="käufer", recipient_ids=["[b]ag[/b]"])
    recorder.close()
    assert recorder.folder is not None
    return Path(recorder.folder)


def test_markup_in_ids_and_content_is_shown_as_text(odd_recording: Path) -> None:
    # "[/]" in the content raised rich's MarkupError ("unexpected MarkupError", exit 1),
    # and the id "[b]ag[/b]" was printed as a bold "ag".
    summary = palaver("inspect", str(odd_recording))
    assert summary.code == 0, summary.output
    assert "[b]ag[/b]" in summary.stdout
    timeline = palaver("inspect", str(odd_recording), "--agent", "[b]ag[/b]")
    assert timeline.code == 0, timeline.output
    assert "Timeline of agent [b]ag[/b]" in timeline.stdout
    assert '"[bold red]alarm[/bold red]' in timeline.stdout and '"x":"[/]"' in timeline.stdout
    by_type = palaver("inspect", str(odd_recording), "--type", "note")
    assert by_type.code == 0 and "[b]ag[/b]" in by_type.stdout


def test_non_ascii_content_is_shown_as_written(odd_recording: Path) -> None:
    shown = palaver("inspect", str(odd_recording), "--type", "message")
    assert shown.code == 0, shown.output
    assert '"message":"grüß dich"' in shown.stdout and "käufer" in shown.stdout
    assert "\\u00fc" not in shown.stdout
