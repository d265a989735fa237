"""Where a recorder writes: the output folder, file names in it, the manifest."""

from __future__ import annotations

import errno
import functools
import importlib.metadata
import json
import os
import platform
from pathlib import Path
from typing import Any

import pyarrow as pa

from palaver._util.atomic import clean_leftovers, write_bytes
from palaver.events import plain
from palaver.recording.errors import CorruptRecordingError, OutputDirExistsError, RecordingError
from palaver.recording.integrity import check_regular, seal, unseal

MANIFEST_FORMAT = "palaver.recording/3"
"""The format this version writes: parts laid out by agent (see
:data:`~palaver.recording.segments.BY_AGENT`)."""
READABLE_FORMATS = frozenset({"palaver.recording/2", MANIFEST_FORMAT})
"""Formats this version reads: format 2 (parts in event order) differs only in
the layout of its parts, which each part's metadata says."""


def prepare_output_dir(output_dir: str | os.PathLike[str] | None) -> Path | None:
    """Create ``output_dir`` if needed and check that it is a writable folder."""
    if output_dir is None:
        return None
    path = Path(output_dir)
    if path.exists() and not path.is_dir():
        raise OutputDirExistsError(
            errno.EEXIST, f"output_dir {str(path)!r} exists and is not a folder", str(path)
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RecordingError(f"cannot create output_dir {str(path)!r}: {exc}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise RecordingError(f"output_dir {str(path)!r} is not writable")
    clean_leftovers(path)  # of exports killed while being written
    return path


def inside(folder: Path, filename: str | os.PathLike[str]) -> Path:
    """``folder / filename``, refusing names that would land outside ``folder``."""
    name = Path(filename)
    target = (folder / name).resolve()
    base = folder.resolve()
    if name.is_absolute() or target == base or not target.is_relative_to(base):
        raise ValueError(
            f"filename {str(filename)!r} must name a file inside output_dir {str(folder)!r} "
            "(no absolute paths, no '..')"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def model_seed(model: Any) -> Any:
    """The seed a model was built with, if it says (``seed``, or Mesa's ``_seed``)."""
    seed = getattr(model, "seed", None)
    return getattr(model, "_seed", None) if seed is None else seed


@functools.cache
def _versions() -> dict[str, str | None]:
    # Looked up once per process: importlib.metadata scans the installed
    # distributions (~5 ms each), and the manifest is written at every part.
    return {
        "palaver": _version("palaver"),
        "python": platform.python_version(),
        "pyarrow": pa.__version__,
        "mesa": _version("mesa"),
    }


def versions() -> dict[str, str | None]:
    """Versions of what wrote a recording."""
    return dict(_versions())


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Write ``folder/manifest.json`` atomically, with its checksum.

    The manifest of a finished recording (any ``status`` but ``recording``) is
    made durable (``fsync``): it is what says the recording is complete.
    """
    data = seal(plain({"format": MANIFEST_FORMAT, **manifest}))
    # One key per line, without indenting nested values: json's indent runs in
    # pure Python (~10 ms for a manifest; it is written at every part).
    text = "{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in data.items())
    write_bytes(
        folder / "manifest.json",
        (text + "\n}\n").encode(),
        durable=manifest.get("status") != "recording",
    )


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest at ``path``, checked against its checksum;
    :class:`CorruptRecordingError` naming it when it cannot be trusted."""
    check_regular(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise CorruptRecordingError(f"{path} is damaged ({exc})") from None
    manifest = unseal(path, data)
    found = manifest.get("format")
    if not isinstance(found, str) or found not in READABLE_FORMATS:
        raise CorruptRecordingError(
            f"{path} has format {found!r}; this version reads {sorted(READABLE_FORMATS)}"
        )
    checks = {
        "simulation_id": str,
        "status": str,
        "agents": list,
        "simulation_metadata": dict,
        "storage": dict,
    }
    for key, kind in checks.items():
        if not isinstance(manifest.get(key), kind):
            raise CorruptRecordingError(f"{path}: {key!r} is missing or not a {kind.__name__}")
    return manifest
