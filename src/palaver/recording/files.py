"""Where a recorder writes: the output folder, file names in it, the manifest."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
from pathlib import Path
from typing import Any

import pyarrow as pa

from palaver.events import plain
from palaver.recording.errors import RecordingError

MANIFEST_FORMAT = "palaver.recording/1"


def prepare_output_dir(output_dir: str | os.PathLike[str] | None) -> Path | None:
    """Create ``output_dir`` if needed and check that it is a writable folder."""
    if output_dir is None:
        return None
    path = Path(output_dir)
    if path.exists() and not path.is_dir():
        raise RecordingError(f"output_dir {str(path)!r} exists and is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RecordingError(f"cannot create output_dir {str(path)!r}: {exc}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise RecordingError(f"output_dir {str(path)!r} is not writable")
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


def versions() -> dict[str, str | None]:
    """Versions of what wrote a recording."""
    return {
        "palaver": _version("palaver"),
        "python": platform.python_version(),
        "pyarrow": pa.__version__,
        "mesa": _version("mesa"),
    }


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Write ``folder/manifest.json`` through a temporary file and a rename."""
    path = folder / "manifest.json"
    tmp = path.with_name(path.name + ".tmp")
    data = {"format": MANIFEST_FORMAT, **manifest}
    tmp.write_text(json.dumps(plain(data), indent=2), encoding="utf-8")
    os.replace(tmp, path)
