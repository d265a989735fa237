"""save_table / load_table (NegMAS's negmas.helpers.inout): formats, paths, refusals."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from palaver.tables import DEFAULT_TABLE_STORAGE_FORMAT, load_table, save_table


def test_csv_of_dicts_and_of_tuples(tmp_path: Path) -> None:
    path = save_table(
        [{"a": 1, "b": 2}, {"a": 3, "c": None}], tmp_path / "t.csv", storage_format="csv"
    )
    assert path == tmp_path / "t.csv"
    # every key is a column (first seen first), a missing or None value is empty
    assert path.read_text() == "a,b,c\n1,2,\n3,,\n"
    rows = save_table(
        [(1, "x"), (2, "y,z")], tmp_path / "u.csv", columns=["n", "s"], storage_format="csv"
    )
    assert rows.read_text() == 'n,s\n1,x\n2,"y,z"\n'
    assert load_table(rows, as_dataframe=False) == [{"n": 1, "s": "x"}, {"n": 2, "s": "y,z"}]


def test_gzip_and_parquet_change_the_suffix(tmp_path: Path) -> None:
    zipped = save_table([{"a": 1}], tmp_path / "t.csv", storage_format="gzip")
    assert zipped.name == "t.csv.gz"
    with gzip.open(zipped, "rt") as f:
        assert f.read() == "a\n1\n"
    assert DEFAULT_TABLE_STORAGE_FORMAT == "parquet"
    packed = save_table([{"a": 1, "t": (1, 2)}], tmp_path / "deep" / "t.csv")
    assert packed == tmp_path / "deep" / "t.parquet"
    assert pq.read_table(packed).to_pylist() == [{"a": 1, "t": "(1, 2)"}]
    assert load_table(packed, as_dataframe=False) == [{"a": 1, "t": "(1, 2)"}]


def test_empty_tables_and_frames(tmp_path: Path) -> None:
    assert (
        save_table([], tmp_path / "e.csv", columns=["a", "b"], storage_format="csv").read_text()
        == "a,b\n"
    )
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"x": [1, 2]}, index=pd.Index([5, 6]))
    path = save_table(
        frame, tmp_path / "f.csv", index=True, index_label="idx", storage_format="csv"
    )
    assert path.read_text() == "idx,x\n5,1\n6,2\n"
    assert list(load_table(path).columns) == ["idx", "x"]


def test_what_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="columns parameter is required"):
        save_table([(1, 2)], tmp_path / "t.csv", storage_format="csv")
    with pytest.raises(ValueError, match="Unsupported data type"):
        save_table("text", tmp_path / "t.csv", storage_format="csv")
    with pytest.raises(ValueError, match="Unsupported list element type"):
        save_table([1, 2], tmp_path / "t.csv", storage_format="csv")
    with pytest.raises(ValueError, match="Unknown storage_format"):
        save_table([{"a": 1}], tmp_path / "t.csv", storage_format="xlsx")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        load_table(tmp_path / "none.csv")


def test_a_parquet_column_mixing_numbers_and_texts_is_written_as_texts(tmp_path: Path) -> None:
    class Thing:
        def __str__(self) -> str:
            return "thing"

    rows = [
        {"n": 1, "mixed": 5, "flag": True},
        {"n": 2, "mixed": Thing(), "flag": None},
        {"n": 3, "mixed": None, "flag": "yes"},
    ]
    path = save_table(rows, tmp_path / "m.parquet")
    assert pq.read_table(path).to_pylist() == [
        {"n": 1, "mixed": "5", "flag": "True"},
        {"n": 2, "mixed": "thing", "flag": None},
        {"n": 3, "mixed": None, "flag": "yes"},
    ]
