"""The private utilities shared by the layers (palaver._util)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from palaver._util.imports import import_dotted


def test_import_dotted_finds_modules_classes_and_nested_attributes() -> None:
    import palaver.mechanisms as mechanisms
    from palaver.world import World

    assert import_dotted("palaver.mechanisms") is mechanisms
    assert import_dotted("palaver.mechanisms.SAOMechanism") is mechanisms.SAOMechanism
    assert import_dotted("palaver.world:World.run") is World.run
    assert import_dotted("palaver.world.World.run") is World.run


@pytest.mark.parametrize("name", ["", ".", "a..b", "pkg:", " palaver", "palaver:.x", 3])
def test_import_dotted_refuses_malformed_names(name: object) -> None:
    with pytest.raises(ValueError, match="dotted name"):
        import_dotted(name)  # type: ignore[arg-type]


def test_import_dotted_names_what_is_missing() -> None:
    with pytest.raises(ImportError, match="no_such_package_xyz"):
        import_dotted("no_such_package_xyz.Thing")
    with pytest.raises(ImportError, match="'NoSuchMechanism'"):
        import_dotted("palaver.mechanisms.NoSuchMechanism")


def test_a_module_that_fails_to_import_is_not_hidden(tmp_path: Path) -> None:
    (tmp_path / "broken_mod_xyz.py").write_text("import missing_dependency_xyz\n")
    sys.path.insert(0, str(tmp_path))
    try:
        with pytest.raises(ModuleNotFoundError, match="missing_dependency_xyz"):
            import_dotted("broken_mod_xyz.Thing")
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("broken_mod_xyz", None)


def test_files_refuse_what_is_not_a_regular_file_at_once(tmp_path: Path) -> None:
    import os
    import socket
    import time

    from palaver._util.files import FileKindError, check_regular, open_regular, read_regular

    regular = tmp_path / "a.txt"
    regular.write_bytes(b"data")
    assert read_regular(regular) == b"data"
    assert check_regular(regular).st_size == 4
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    start = time.perf_counter()
    with pytest.raises(FileKindError, match=r"'.*pipe' is a FIFO, not a regular file"):
        read_regular(fifo)  # no writer: a blocking open would hang here
    assert time.perf_counter() - start < 1.0
    with pytest.raises(FileKindError, match="is a FIFO"):
        check_regular(fifo)
    with pytest.raises(FileKindError, match="is a folder"):
        open_regular(tmp_path)
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "missing")
    sock_path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        with pytest.raises(FileKindError, match="is a socket"):
            check_regular(sock_path)

    class Custom(ValueError):
        pass

    with pytest.raises(Custom, match="is a FIFO"):
        read_regular(fifo, error=Custom)


def test_an_open_regular_descriptor_reads_normally(tmp_path: Path) -> None:
    import os

    from palaver._util.files import is_regular_fd, open_regular

    path = tmp_path / "b.bin"
    path.write_bytes(b"x" * 100_000)
    fd = open_regular(path)
    try:
        assert is_regular_fd(fd)
        assert os.get_blocking(fd)
        assert len(os.read(fd, 200_000)) == 100_000
    finally:
        os.close(fd)


def test_check_bool_takes_numpys_bool_and_refuses_truthy_values() -> None:
    # numpy 2 names its bool type "bool", not "bool_": np.True_ was refused.
    import numpy as np

    from palaver._util.checks import check_bool

    assert check_bool("flag", np.True_) is True
    assert check_bool("flag", np.array([1, 2]).any()) is True
    assert check_bool("flag", np.False_) is False
    for bad in ("yes", 1, 0.0, None, np.int64(1)):
        with pytest.raises(TypeError, match=r"flag must be True or False"):
            check_bool("flag", bad)
