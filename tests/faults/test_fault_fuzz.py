"""Hypothesis fuzzing of each file reader of a recording: the manifest (random
bytes, and forged manifests with a valid checksum), Parquet parts, index
sidecars, the write-ahead log, and single exported Parquet files.

Bar as in test_fault_files: refused with ``CorruptRecordingError`` or read
correctly, with what is missing reported; no other error, no hang.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fault_helpers import FIGURES, SCALE, Ref, check_reader, copy, judge
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import palaver.recording as recording
from palaver.recording import EVENT_SCHEMA, CorruptRecordingError, RecordingWarning
from palaver.recording.integrity import seal

FUZZ = settings(
    max_examples=25 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


def _mutations() -> st.SearchStrategy[list[tuple[float, int]]]:
    """Byte edits: (relative position, new byte)."""
    return st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=6
    )


def _mutate(data: bytes, edits: list[tuple[float, int]]) -> bytes:
    buf = bytearray(data)
    for where, value in edits:
        buf[int(where * len(buf))] = value
    return bytes(buf)


def _first(folder: Path, pattern: str) -> Path:
    return sorted(folder.glob(pattern))[0]


@FUZZ
@given(data=st.binary(max_size=600))
def test_fuzz_manifest_bytes(intact: tuple[Path, Ref], tmp_path: Path, data: bytes) -> None:
    folder = copy(intact[0], tmp_path)
    (folder / "manifest.json").write_bytes(data)
    judge("fuzz: manifest bytes", folder, intact[1], False, "manifest.json")


@FUZZ
@given(
    changes=st.dictionaries(
        st.sampled_from(
            [
                "simulation_id",
                "status",
                "agents",
                "storage",
                "format",
                "simulation_metadata",
                "counts",
                "x",
            ]
        ),
        _json,
        min_size=1,
        max_size=3,
    )
)
def test_fuzz_forged_manifest(
    intact: tuple[Path, Ref], tmp_path: Path, changes: dict[str, Any]
) -> None:
    folder = copy(intact[0], tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest.pop("checksum")
    manifest.update(changes)
    (folder / "manifest.json").write_text(json.dumps(seal(manifest)))
    problem = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RecordingWarning)
            for strict in (True, False):
                try:
                    with recording.open(folder, strict=strict) as reader:
                        list(reader.events)
                        reader.sql("SELECT count(*) FROM events").fetchall()
                except CorruptRecordingError:
                    pass
    except Exception as exc:
        problem = f"{type(exc).__name__}: {exc}"
    FIGURES.case("fuzz: forged manifest", problem is None, f"{changes}: {problem}")
    assert problem is None


@FUZZ
@given(edits=_mutations())
def test_fuzz_part(
    intact: tuple[Path, Ref], tmp_path: Path, edits: list[tuple[float, int]]
) -> None:
    folder = copy(intact[0], tmp_path)
    part = _first(folder / "events", "part-*.parquet")
    part.write_bytes(_mutate(part.read_bytes(), edits))
    judge("fuzz: part", folder, intact[1], False, part.name)
    assert not [f for f in FIGURES.failures if f.startswith("[fuzz: part]")]


@FUZZ
@given(edits=_mutations(), garbage=st.booleans())
def test_fuzz_index_sidecar(
    intact: tuple[Path, Ref], tmp_path: Path, edits: list[tuple[float, int]], garbage: bool
) -> None:
    folder = copy(intact[0], tmp_path)
    sidecar = _first(folder / "events", "part-*.index.arrow")
    data = (
        bytes(int(w * 255) for w, _ in edits) if garbage else _mutate(sidecar.read_bytes(), edits)
    )
    sidecar.write_bytes(data)
    judge("fuzz: index sidecar", folder, intact[1], False, sidecar.name)
    assert not [f for f in FIGURES.failures if f.startswith("[fuzz: index")]


@FUZZ
@given(edits=_mutations(), cut=st.floats(0.3, 1.0))
def test_fuzz_log(
    killed: tuple[Path, Ref], tmp_path: Path, edits: list[tuple[float, int]], cut: float
) -> None:
    folder = copy(killed[0], tmp_path)
    log = _first(folder / "events", "wal-*.arrows")
    data = _mutate(log.read_bytes(), edits)
    log.write_bytes(data[: max(int(len(data) * cut), 1)])
    judge("fuzz: log", folder, killed[1], True, log.name)
    assert not [f for f in FIGURES.failures if f.startswith("[fuzz: log]")]


_rows = st.lists(
    st.tuples(
        st.integers(-(2**62), 2**62),
        st.integers(-5, 10**6),
        st.text(max_size=5),
        st.none() | st.text(max_size=3),
        st.text(max_size=12),
        st.none() | st.text(max_size=8),
    ),
    min_size=1,
    max_size=8,
)


@FUZZ
@given(rows=_rows, consecutive=st.booleans())
def test_fuzz_single_parquet_file(
    tmp_path: Path, rows: list[tuple[Any, ...]], consecutive: bool
) -> None:
    """A Parquet file with the events columns but any values (an export from elsewhere)."""
    n = len(rows)
    table = pa.table(
        {
            "index": pa.array(range(n) if consecutive else [r[1] for r in rows], pa.int64()),
            "timestamp": pa.array([r[0] for r in rows], pa.int64()).cast(
                pa.timestamp("us", tz="UTC")
            ),
            "step": pa.array([r[1] for r in rows], pa.int64()),
            "event_type": pa.array([r[2] for r in rows], pa.string()),
            "agent_id": pa.array([r[3] for r in rows], pa.string()),
            "content": pa.array([r[4] for r in rows], pa.string()),
            "metadata": pa.array([r[5] for r in rows], pa.string()),
            "run_id": pa.nulls(n, pa.string()),
            "seq": pa.nulls(n, pa.int64()),
            "negotiation_id": pa.nulls(n, pa.string()),
            "contract_id": pa.nulls(n, pa.string()),
        },
        schema=EVENT_SCHEMA,
    )
    path = tmp_path / f"x{abs(hash(str(rows))) % 10**9}.parquet"
    pq.write_table(table, path)
    problem = None
    try:
        with recording.open(path) as reader:
            events = list(reader.events)
            assert len(events) == n
            reader.sql("SELECT count(*) FROM events").fetchall()
    except CorruptRecordingError:
        pass
    except Exception as exc:
        problem = f"{type(exc).__name__}: {exc}"
    FIGURES.case("fuzz: single Parquet file", problem is None, f"{rows}: {problem}")
    assert problem is None


def test_check_reader_catches_a_wrong_event(intact: tuple[Path, Ref]) -> None:
    """The suite's own judge fails a reader that returns a changed event."""
    folder, ref = intact
    changed = dict(ref)
    first = next(iter(changed))
    changed[first] = ("changed",)
    with recording.open(folder) as reader:
        assert check_reader(reader, changed) is not None
        assert check_reader(reader, ref) is None


@pytest.fixture(autouse=True)
def _quiet() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RecordingWarning)
        yield
