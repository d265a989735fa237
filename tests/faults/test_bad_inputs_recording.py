"""Bad inputs to the recording API: ``SimulationRecorder`` options,
``record_event`` arguments, ``save(format=...)``, ``open(path, strict=...)``
and the reader's queries (ids of the wrong type, bad SQL, bad slices).

Each row: the call, the documented error class and fragments its message must
hold. A row made on a live recorder or an open reader also checks that nothing
recorded is lost: the events recorded before the bad call are all there after
it. Black-box: only the public API and the files. Rows marked ``xfail`` are
defects of the recording package, reported to the lead.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fault_helpers import Ticker, refused, row_params

import palaver.recording as recording
from palaver.recording import CorruptRecordingError, RecordingError, SimulationRecorder

nan = math.nan
BEFORE = 7  # events recorded before the bad call
TMP: list[Path] = []


def _folder() -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="palaver-bad-rec-"))
    TMP.append(path)
    return path


def _new(**kwargs: Any) -> Callable[[], object]:
    return lambda: SimulationRecorder(Ticker(), output_dir=_folder(), **kwargs)


def _live(action: Callable[[SimulationRecorder], object]) -> Callable[[], object]:
    """``action`` on a recorder holding BEFORE events; afterwards (raised or
    not) the recording must still hold them, and take more."""

    def call() -> object:
        rec = SimulationRecorder(Ticker(), output_dir=_folder(), memory_window=4)
        for i in range(BEFORE):
            rec.record_event("note", {"i": i}, agent_id=i % 2)
        try:
            return action(rec)
        finally:
            rec.record_event("after", {"ok": True})
            rec.close()
            assert rec.folder is not None
            with recording.open(rec.folder) as reader:
                kept = [e.content.get("i") for e in reader.get_events_by_type("note")]
                assert kept == list(range(BEFORE)), f"recorded events lost: {kept}"
                assert len(reader.get_events_by_type("after")) == 1

    return call


def _closed() -> Path:
    rec = SimulationRecorder(Ticker(), output_dir=_folder(), memory_window=4)
    for i in range(BEFORE):
        rec.record_event("note", {"i": i}, agent_id=i % 2)
    rec.close()
    assert rec.folder is not None
    return rec.folder


def _reading(action: Callable[[Any], object]) -> Callable[[], object]:
    """``action`` on an open reader; the reader must still answer afterwards."""

    def call() -> object:
        with recording.open(_closed()) as reader:
            try:
                return action(reader)
            finally:
                assert len(reader.get_events_by_type("note")) == BEFORE

    return call


def _open(make: Callable[[Path], Path], **kwargs: Any) -> Callable[[], object]:
    return lambda: recording.open(make(_folder()), **kwargs)


def _text_file(folder: Path) -> Path:
    path = folder / "notes.txt"
    path.write_text("not a recording")
    return path


def _empty_folder(folder: Path) -> Path:
    return folder


def _fifo(folder: Path) -> Path:
    import os

    path = folder / "manifest.json"
    os.mkfifo(path)
    return folder


VE, TE = ValueError, TypeError
CASES: list[tuple[str, Callable[[], object], Any, tuple[str, ...]]] = [
    # SimulationRecorder(...) options
    ("memory_window zero", _new(memory_window=0), VE, ("memory_window", "0")),
    ("memory_window float", _new(memory_window=1.5), (VE, TE), ("memory_window", "1.5")),
    ("memory_window str", _new(memory_window="10"), (VE, TE), ("memory_window", "'10'")),
    ("flush_every negative", _new(flush_every=-1), VE, ("flush_every", "-1")),
    ("flush_every bool", _new(flush_every=True), (VE, TE), ("flush_every", "True")),
    ("auto_save_interval zero", _new(auto_save_interval=0), VE, ("auto_save_interval", "0")),
    ("auto_save_interval float", _new(auto_save_interval=2.5), VE, ("auto_save_interval",)),
    ("state_value_limit zero", _new(state_value_limit=0), VE, ("state_value_limit", "0")),
    ("state_value_limit str", _new(state_value_limit="9"), VE, ("state_value_limit", "'9'")),
    ("detail unknown", _new(detail="everything"), VE, ("detail", "everything")),
    ("detail int", _new(detail=3), (VE, TE), ("detail", "3")),
    (
        "record_state_changes str",
        _new(record_state_changes="yes"),
        (VE, TE),
        ("record_state_changes", "'yes'"),
    ),
    (
        "output_dir int",
        lambda: SimulationRecorder(Ticker(), output_dir=3),
        (RecordingError, TE),
        ("output_dir", "3"),
    ),
    (
        "output_dir a file",
        lambda: SimulationRecorder(Ticker(), output_dir=_text_file(_folder())),
        RecordingError,
        ("notes.txt", "not a folder"),
    ),
    # record_event arguments
    ("event_type int", _live(lambda r: r.record_event(3, {})), TE, ("event_type", "int")),
    ("event_type None", _live(lambda r: r.record_event(None, {})), TE, ("event_type", "None")),
    (
        "recipient_ids int",
        _live(lambda r: r.record_event("message", "hi", recipient_ids=3)),
        (VE, TE),
        ("recipient_ids", "3"),
    ),
    (
        "agent_id unhashable",
        _live(lambda r: r.record_event("x", {}, agent_id={"a": 1})),
        (VE, TE),
        ("agent_id",),
    ),
    (
        "metadata list",
        _live(lambda r: r.record_event("x", {}, metadata=[1])),
        TE,
        ("metadata", "[1]"),
    ),
    (
        "recipient_ids for another type",
        _live(lambda r: r.record_event("note", {}, recipient_ids="2")),
        TE,
        ("recipient_ids", "'2'"),
    ),
    ("agent_id bool", _live(lambda r: r.record_event("x", {}, agent_id=True)), TE, ("agent_id",)),
    (
        "get_agent_events dict",
        _reading(lambda r: r.get_agent_events({"a": 1})),
        TE,
        ("agent_id", "{'a': 1}"),
    ),
    ("events index float", _reading(lambda r: r.events[1.0]), TE, ("1.0",)),
    (
        "export_json path int",
        _reading(lambda r: r.export_json(3)),
        TE,
        ("path", "3"),
    ),
    ("open strict None", lambda: recording.open(_closed(), strict=None), TE, ("strict", "None")),
    ("sql unknown column", _reading(lambda r: r.sql("SELECT nope FROM events")), VE, ("nope",)),
    # save(format=...)
    ("save format xml", _live(lambda r: r.save(format="xml")), VE, ("'xml'", "json")),
    ("save format pickle", _live(lambda r: r.save(format="pickle")), VE, ("pickle",)),
    ("save format None", _live(lambda r: r.save(format=None)), (VE, TE), ("None",)),
    (
        "save filename escapes",
        _live(lambda r: r.save("../escape.json")),
        (VE, RecordingError),
        ("escape",),
    ),
    ("save filename int", _live(lambda r: r.save(3)), (VE, TE), ("filename", "3")),
    # open(path, strict=...)
    (
        "open missing",
        lambda: recording.open("/nonexistent/rec"),
        (RecordingError, FileNotFoundError),
        ("/nonexistent/rec",),
    ),
    ("open text file", _open(_text_file), (RecordingError, VE), ("notes.txt",)),
    ("open empty folder", _open(_empty_folder), RecordingError, ("palaver-bad-rec",)),
    ("open fifo manifest", _open(_fifo), CorruptRecordingError, ("manifest.json",)),
    ("open path int", lambda: recording.open(3), TE, ("path", "3")),
    ("open strict str", lambda: recording.open(_closed(), strict="no"), TE, ("strict", "'no'")),
    # reader queries
    ("get_agent_events list", _reading(lambda r: r.get_agent_events([1])), TE, ("agent_id", "[1]")),
    ("get_events_by_step str", _reading(lambda r: r.get_events_by_step("3")), TE, ("step", "'3'")),
    (
        "get_events_by_step float",
        _reading(lambda r: r.get_events_by_step(1.5)),
        TE,
        ("step", "1.5"),
    ),
    (
        "get_events_by_type int",
        _reading(lambda r: r.get_events_by_type(3)),
        TE,
        ("event_type", "3"),
    ),
    ("sql bad syntax", _reading(lambda r: r.sql("SELEC * FROM events")), VE, ("SELEC",)),
    ("sql unknown table", _reading(lambda r: r.sql("SELECT * FROM nope")), VE, ("nope",)),
    ("sql not a str", _reading(lambda r: r.sql(3)), TE, ("query", "3")),
    ("events index str", _reading(lambda r: r.events["a"]), TE, ("'a'",)),
    ("events index out of range", _reading(lambda r: r.events[10**6]), IndexError, ("1000000",)),
    ("events slice step zero", _reading(lambda r: r.events[::0]), VE, ("step",)),
    ("events slice str", _reading(lambda r: r.events[0:"5"]), TE, ("'5'",)),
    (
        "agent_states layout",
        _reading(lambda r: r.agent_states(layout="tall")),
        VE,
        ("layout", "tall"),
    ),
    (
        "agent_states library",
        _reading(lambda r: r.agent_states(library="nope")),
        VE,
        ("library", "nope"),
    ),
    (
        "export_json to a folder",
        _reading(lambda r: r.export_json(_folder())),
        (RecordingError, VE, OSError),
        ("palaver-bad-rec",),
    ),
]

XFAIL: dict[str, str] = {}


@pytest.mark.parametrize(("name", "call", "error", "fragments", "known"), row_params(CASES, XFAIL))
def test_bad_recording_input_is_refused(
    name: str, call: Callable[[], object], error: Any, fragments: tuple[str, ...], known: bool
) -> None:
    refused("recording", name, call, error, fragments, known)


@pytest.fixture(autouse=True, scope="module")
def _cleanup() -> Any:
    yield
    import shutil

    for path in TMP:
        shutil.rmtree(path, ignore_errors=True)
