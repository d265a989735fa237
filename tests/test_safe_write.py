"""safe_write_file (NegMAS's negmas.helpers.inout): atomic writes, retries, fallback;
save_table writing through it and load_table reading a table's other format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from palaver._util.warning_types import NegmasIOWarning
from palaver.tables import load_table, safe_write_file, save_table


def failing(times: int, text: str = "done") -> tuple[list[Path], Callable[[Path], None]]:
    """A writer failing ``times`` times with PermissionError, and the paths it was given."""
    seen: list[Path] = []

    def write(where: Path) -> None:
        seen.append(where)
        where.write_text("partial")
        if len(seen) <= times:
            raise PermissionError("held by another process")
        where.write_text(text)

    return seen, write


def test_writes_a_temporary_file_that_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_text("old")
    seen, write = failing(0)
    assert safe_write_file(write, target) == target
    assert target.read_text() == "done"
    assert seen[0].parent == tmp_path and seen[0] != target and seen[0].suffix == ".tmp"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_retries_with_growing_jittered_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr("time.sleep", waits.append)
    seen, write = failing(2)
    assert safe_write_file(write, tmp_path / "t.txt", base_delay=0.1) == tmp_path / "t.txt"
    assert len(seen) == 3 and (tmp_path / "t.txt").read_text() == "done"
    assert len(waits) == 2 and 0.1 <= waits[0] <= 0.15 and 0.2 <= waits[1] <= 0.3
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_persistent_failure_raises_or_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda _: None)
    seen, write = failing(99)
    with pytest.raises(PermissionError):
        safe_write_file(write, tmp_path / "t.txt", max_retries=2)
    assert len(seen) == 2 and list(tmp_path.iterdir()) == []
    _, backup = failing(0, "backup")
    with pytest.warns(NegmasIOWarning, match=r"Falling back to: .*b\.csv"):
        done = safe_write_file(
            write,
            tmp_path / "t.parquet",
            fallback_func=backup,
            fallback_path=tmp_path / "b.csv",
        )
    assert done == tmp_path / "b.csv" and done.read_text() == "backup"
    assert [p.name for p in tmp_path.iterdir()] == ["b.csv"]


def test_save_table_falls_back_to_csv_when_parquet_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda _: None)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("no parquet here")

    monkeypatch.setattr(pq, "write_table", refuse)
    with pytest.warns(NegmasIOWarning, match="Falling back"):
        path = save_table([{"a": 1}, {"a": 2}], tmp_path / "t.parquet")
    assert path == tmp_path / "t.csv" and path.read_text() == "a\n1\n2\n"
    with pytest.warns(NegmasIOWarning, match="Loading from alternative"):
        assert load_table(tmp_path / "t.parquet", as_dataframe=False) == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize(
    ("saved", "asked"),
    [("csv", "t.parquet"), ("parquet", "t.csv"), ("gzip", "t.csv"), ("csv", "t.csv.gz")],
)
def test_load_table_reads_the_other_format_of_a_missing_table(
    tmp_path: Path, saved: str, asked: str
) -> None:
    save_table([{"x": saved}], tmp_path / "t.csv", storage_format=saved)  # type: ignore[arg-type]
    with pytest.warns(NegmasIOWarning, match="Loading from alternative"):
        assert load_table(tmp_path / asked, as_dataframe=False) == [{"x": saved}]
    with pytest.raises(FileNotFoundError):
        load_table(tmp_path / asked, try_alternatives=False)
    with pytest.raises(FileNotFoundError):
        load_table(tmp_path / "other.csv")
