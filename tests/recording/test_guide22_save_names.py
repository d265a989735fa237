"""An export's file name and its format must agree.

Found by a program written from the recording guide: ``recorder.save("run.parquet")``
(the format left at its default, ``"json"``) wrote JSON into ``run.parquet``,
which ``palaver.recording.open`` then refused as "not a Parquet file". The save
now refuses the mismatch naming both; ``open()`` of a JSON export says what it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import palaver.recording
from palaver.recording import CorruptRecordingError, SimulationRecorder


def _recorder(tmp_path: Path) -> SimulationRecorder:
    recorder = SimulationRecorder(None, output_dir=tmp_path)
    recorder.record_event("note", {"x": 1})
    return recorder


@pytest.mark.parametrize(
    ("filename", "format", "said"),
    [
        ("run.parquet", "json", "parquet"),
        ("run.PQ", "json", "parquet"),
        ("run.json", "parquet", "json"),
    ],
)
def test_a_name_saying_another_format_is_refused(
    tmp_path: Path, filename: str, format: str, said: str
) -> None:
    recorder = _recorder(tmp_path)
    with pytest.raises(ValueError, match=f"the file name says {said}; pass format='{said}'"):
        recorder.save(filename, format=format)
    assert not (tmp_path / filename).exists()
    assert [e.event_type for e in recorder.events] == ["note"]  # no end marker left behind
    recorder.close()


def test_matching_or_other_names_are_saved(tmp_path: Path) -> None:
    recorder = _recorder(tmp_path)
    assert json.loads(recorder.save("run.json").read_text())["events"][0]["event_type"] == "note"
    assert (
        palaver.recording.open(recorder.save("run.parquet", format="parquet")).status == "exported"
    )
    assert recorder.save("run.export", format="json").exists()  # a name saying nothing
    recorder.close()


def test_open_says_a_json_export_is_one(tmp_path: Path) -> None:
    recorder = _recorder(tmp_path)
    path = recorder.save("run.json")
    recorder.close()
    with pytest.raises(CorruptRecordingError, match="looks like a JSON export"):
        palaver.recording.open(path)
