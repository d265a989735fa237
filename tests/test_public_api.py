"""The public surface: documented, and typed as users see it."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import palaver

HERE = Path(__file__).resolve().parent


def public_members(obj: type) -> list[str]:
    """Public methods and properties that ``obj`` defines itself (not inherited from outside)."""
    names = []
    for name, member in vars(obj).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property | staticmethod | classmethod) or inspect.isfunction(member):
            names.append(name)
    return names


@pytest.mark.parametrize("name", [n for n in palaver.__all__ if n != "__version__"])
def test_every_public_name_is_documented(name: str) -> None:
    obj = getattr(palaver, name)
    if not (inspect.isclass(obj) or inspect.isfunction(obj)):
        return
    assert inspect.getdoc(obj), f"palaver.{name} has no docstring"
    if inspect.isclass(obj):
        undocumented = [
            m
            for m in public_members(obj)
            if not (getattr(vars(obj)[m], "__doc__", None) or "").strip()
            and not any(getattr(base, m, None) is not None for base in obj.__mro__[1:])
        ]
        assert not undocumented, f"palaver.{name}: undocumented {undocumented}"


def test_all_names_exist_once() -> None:
    assert len(set(palaver.__all__)) == len(palaver.__all__)
    for name in palaver.__all__:
        assert hasattr(palaver, name), name


def test_public_api_types_as_documented() -> None:
    """mypy checks ``typing/usage.py``: the public API's types, as a user sees them."""
    pytest.importorskip("mypy")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--follow-imports=silent",
            "--ignore-missing-imports",
            "--no-error-summary",
            "--cache-dir",
            str(HERE.parent / ".mypy_cache"),
            str(HERE / "typing" / "usage.py"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
