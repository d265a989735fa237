"""palaver.serialization's load: damaged or misplaced files are named, never read as data."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from palaver.serialization import dump, load

Within = Callable[[float, Callable[[], Any]], "BaseException | None"]
"""The ``within`` fixture (tests/conftest.py)."""


def test_round_trip_and_the_empty_file(tmp_path: Path) -> None:
    dump({"a": [1, 2]}, tmp_path / "x.json")
    assert load(tmp_path / "x.json") == {"a": [1, 2]}
    (tmp_path / "empty.json").write_text("")
    assert load(tmp_path / "empty.json") == {}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("cut.json", b'{"a": [1,', r"cut\.json: malformed JSON"),
        ("cut.yaml", b"a: [1,\n", r"cut\.yaml: malformed YAML"),
        ("latin.json", b'{"a": "\xe9"}', r"latin\.json: not UTF-8 text"),
    ],
)
def test_a_damaged_file_is_a_value_error_naming_it(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    # These were json's, yaml's or the codec's own errors, naming no file.
    (tmp_path / name).write_bytes(data)
    with pytest.raises(ValueError, match=message):
        load(tmp_path / name)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_at_once(tmp_path: Path, within: Within) -> None:
    # read_text() blocked for ever on it.
    os.mkfifo(tmp_path / "x.json")
    error = within(10, lambda: load(tmp_path / "x.json"))
    assert isinstance(error, OSError) and "x.json' is a FIFO" in str(error)


def test_a_missing_file_is_still_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.json")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_dump_refuses_a_fifo_at_once_and_replaces_a_file_whole(
    tmp_path: Path, within: Within
) -> None:
    # write_text() blocked for ever on it.
    os.mkfifo(tmp_path / "x.json")
    error = within(10, lambda: dump({"a": 1}, tmp_path / "x.json"))
    assert isinstance(error, OSError) and "x.json' is a FIFO" in str(error)
    dump({"a": 1}, tmp_path / "y.json")
    dump({"b": 2}, tmp_path / "y.json")
    assert load(tmp_path / "y.json") == {"b": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json", "y.json"]


@pytest.mark.parametrize("bad", [3, None, "", b"x.json"])
def test_a_file_name_that_is_not_a_path_names_the_parameter(tmp_path: Path, bad: object) -> None:
    # Path() said only "expected str, bytes or os.PathLike object, not int"; "" was ".json".
    for call in (lambda: load(bad), lambda: dump({}, bad)):  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"^file_name must be a non-empty str or path"):
            call()
