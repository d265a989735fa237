"""Bit flips, truncations and deletions in every file of a recording, and files
that are not what they seem (FIFOs, planted symlinks, bad export targets).

Bar: a damaged recording is refused with ``CorruptRecordingError`` when opened
strictly, or gives exactly the recorded events; opened with ``strict=False`` it
gives only recorded events, and every recorded event it does not give is
reported in ``reader.missing`` (or is the torn tail of a killed run). Nothing
else is raised, nothing hangs.
"""

from __future__ import annotations

import os
import random
import secrets
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from fault_helpers import FIGURES, SCALE, copy, judge, recording_files

import palaver.recording as recording
from palaver.recording import CorruptRecordingError, RecordingError, RecordingWarning

Ref = dict[str, tuple[object, ...]]


def _damage(
    category: str,
    base: tuple[Path, Ref],
    tmp_path: Path,
    killed: bool,
    cases_per_file: int,
    mutate: Callable[[bytes, random.Random], bytes | None],
) -> None:
    folder, ref = base
    rng = random.Random(category)
    for path in recording_files(folder):
        relative = path.relative_to(folder)
        for _ in range(cases_per_file):
            damaged = copy(folder, tmp_path)
            target = damaged / relative
            data = mutate(target.read_bytes(), rng)
            if data is None:
                target.unlink()
            else:
                target.write_bytes(data)
            judge(category, damaged, ref, killed, f"{relative}")
    failures = [f for f in FIGURES.failures if f.startswith(f"[{category}]")]
    assert not failures, "\n".join(failures[:10])


def _flip(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3))):
        buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
    return bytes(buf)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.choice((0, rng.randrange(max(len(data), 1)), max(len(data) - 1, 0)))]


@pytest.mark.parametrize("state", ["completed", "killed"])
def test_bit_flips_in_every_file(
    state: str, intact: tuple[Path, Ref], killed: tuple[Path, Ref], tmp_path: Path
) -> None:
    base = intact if state == "completed" else killed
    _damage(f"bit flip ({state})", base, tmp_path, state == "killed", 4 * SCALE, _flip)


@pytest.mark.parametrize("state", ["completed", "killed"])
def test_truncation_of_every_file(
    state: str, intact: tuple[Path, Ref], killed: tuple[Path, Ref], tmp_path: Path
) -> None:
    base = intact if state == "completed" else killed
    _damage(f"truncation ({state})", base, tmp_path, state == "killed", 2 * SCALE, _truncate)


@pytest.mark.parametrize("state", ["completed", "killed"])
def test_deletion_of_every_file(
    state: str, intact: tuple[Path, Ref], killed: tuple[Path, Ref], tmp_path: Path
) -> None:
    base = intact if state == "completed" else killed
    _damage(f"deletion ({state})", base, tmp_path, state == "killed", 1, lambda _d, _r: None)


def test_deleting_the_last_part_of_a_completed_recording_is_reported(
    intact: tuple[Path, Ref], tmp_path: Path
) -> None:
    folder, ref = intact
    damaged = copy(folder, tmp_path)
    last = sorted((damaged / "events").glob("part-*.parquet"))[-1]
    last.unlink()
    with pytest.raises(CorruptRecordingError, match=last.name):
        recording.open(damaged)
    with pytest.warns(RecordingWarning, match=last.name):
        reader = recording.open(damaged, strict=False)
    [missing] = reader.missing
    assert missing.stop == len(ref) and missing.files == (f"events/{last.name}",)
    assert reader.status == "completed"  # what the manifest says; the loss is reported
    FIGURES.case("deletion (last part)", True)


def test_deleting_the_log_of_a_killed_run_is_reported(
    killed: tuple[Path, Ref], tmp_path: Path
) -> None:
    folder, _ = killed
    damaged = copy(folder, tmp_path)
    [log] = (damaged / "events").glob("wal-*.arrows")
    log.unlink()
    with pytest.raises(CorruptRecordingError, match=log.name):
        recording.open(damaged)
    FIGURES.case("deletion (log)", True)


def _opens_at_once(path: Path, strict: bool = True) -> str | None:
    """Open ``path`` in a thread: what goes wrong (``None``: refused cleanly)."""
    result: list[str | None] = []

    def target() -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RecordingWarning)
                with recording.open(path, strict=strict) as reader:
                    # Files read lazily (index sidecars, stats) are read now.
                    for agent in range(3):
                        list(reader.get_agent_events(agent))
                    reader.stats()
            result.append("opened")
        except CorruptRecordingError:
            result.append(None)
        except Exception as exc:
            result.append(f"{type(exc).__name__}: {exc}")

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():
        # Unblock the reader so that the test process can end.
        with open(path, "wb"):
            pass
        return "hung"
    return result[0]


def test_fifo_in_place_of_any_file(intact: tuple[Path, Ref], tmp_path: Path) -> None:
    folder, _ = intact
    for path in recording_files(folder):
        relative = path.relative_to(folder)
        damaged = copy(folder, tmp_path)
        (damaged / relative).unlink()
        os.mkfifo(damaged / relative)
        derived = relative.name.endswith(".index.arrow") or relative.name == "stats.parquet"
        for strict in (True, False):
            problem = _opens_at_once(damaged, strict)
            if problem == "opened" and (derived or not strict):
                problem = None  # read around it (derived data rebuilt), with a warning
            FIGURES.case("FIFO in place of a file", problem is None, f"{relative}: {problem}")
    fifo = tmp_path / "events.parquet"
    os.mkfifo(fifo)
    FIGURES.case("FIFO opened directly", _opens_at_once(fifo) is None, "FIFO file")
    failures = [f for f in FIGURES.failures if f.startswith("[FIFO")]
    assert not failures, failures[:5]


def test_planted_symlink_at_the_temporary_name_is_never_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fault_helpers import record

    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    monkeypatch.setattr(secrets, "token_hex", lambda n: "0" * (2 * n))
    out = tmp_path / "out"
    out.mkdir()
    planted = out / (".w.json.palaver-tmp-" + "0" * 16)
    planted.symlink_to(victim)
    folder = record(tmp_path / "rec", n_steps=1)
    with recording.open(folder) as reader, pytest.raises(FileExistsError):
        reader.export_json(out / "w.json")
    assert victim.read_text() == "precious"
    FIGURES.case("planted symlink", victim.read_text() == "precious")


def test_export_to_a_bad_target_is_refused_without_temporary_files(
    intact: tuple[Path, Ref], tmp_path: Path
) -> None:
    folder, _ = intact
    with recording.open(folder) as reader:
        with pytest.raises(RecordingError, match="does not exist"):
            reader.export_json(tmp_path / "no" / "such" / "dir" / "x.json")
        with pytest.raises(RecordingError, match="is a folder"):
            reader.export_json(tmp_path)
    assert not [p for p in tmp_path.rglob("*palaver-tmp*")]
    FIGURES.case("export to a bad target", True)


def test_leftover_temporary_files_are_removed_on_the_next_open(
    intact: tuple[Path, Ref], tmp_path: Path
) -> None:
    folder = copy(intact[0], tmp_path)
    left = [
        folder / ".manifest.json.palaver-tmp-1234",
        folder / "events" / ".part-00009.parquet.palaver-tmp-abcd",
    ]
    for path in left:
        path.write_bytes(b"partial")
    busy = folder / "events" / ".part-00010.parquet.palaver-tmp-live"
    busy.write_bytes(b"being written")
    import fcntl

    with busy.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # a live writer's file
        recording.open(folder).close()
        assert busy.exists()
    assert not any(p.exists() for p in left)
    FIGURES.case("leftover temporary files", True)


def test_stats_written_atomically_survives_a_damaged_copy(
    intact: tuple[Path, Ref], tmp_path: Path
) -> None:
    folder = copy(intact[0], tmp_path)
    (folder / "stats.parquet").write_bytes(b"PAR1 torn")
    with pytest.warns(RecordingWarning, match="stats.parquet"), recording.open(folder) as reader:
        assert reader.stats().num_rows > 0  # computed again from the events
        assert reader.sql("SELECT count(*) FROM stats").fetchall()[0][0] > 0
    FIGURES.case("damaged stats.parquet", True)
