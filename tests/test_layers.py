"""Each package imports only the layers below it (docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "palaver"
ORDER = [
    "events",
    "outcomes",
    "preferences",
    "scenarios",
    "mechanisms",
    "negotiators",
    "llm",
    "world",
    "recording",
    "tournaments",
    "examples",
    "checks",
]
TOP = {"cli", "report"}
BASE = {"_util"}
"""Private helpers below every layer: importable by all, importing no other layer."""


def allowed(package: str) -> set[str]:
    """The palaver sub-packages that ``package`` may import (the command line may
    use the reports, as ``palaver report`` does; nothing else imports either)."""
    if package == "cli":
        return {*ORDER, "report"}
    if package in TOP:
        return set(ORDER)
    return set(ORDER[: ORDER.index(package)]) if package in ORDER else set()


def imported_packages(path: Path) -> set[str]:
    """The palaver sub-packages a module imports at run time (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "palaver" and len(parts) > 1:
                found.add(parts[1])
    return found


MODULES = [p for p in SRC.rglob("*.py") if p.parent != SRC]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_module_imports_only_lower_layers(path: Path) -> None:
    package = path.relative_to(SRC).parts[0]
    bad = imported_packages(path) - allowed(package) - {package} - BASE
    assert not bad, f"{path.relative_to(SRC)} ({package}) imports higher layers: {sorted(bad)}"


def test_world_never_imports_recording() -> None:
    for path in (SRC / "world").rglob("*.py"):
        assert "recording" not in imported_packages(path), path


def test_facade_is_thin() -> None:
    """Only re-exports: imports, the lazy-name table, the PEP 562 loader and ``__dir__``."""
    tree = ast.parse((SRC / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.If):
            assert ast.unparse(node.test) == "typing.TYPE_CHECKING"
            assert all(isinstance(n, ast.ImportFrom) for n in node.body)
        elif isinstance(node, ast.FunctionDef):
            assert node.name in ("__getattr__", "__dir__")
        elif isinstance(node, ast.Delete):
            assert ast.unparse(node) == "del typing"
        else:
            assert isinstance(node, ast.Expr | ast.ImportFrom | ast.Import | ast.Assign), node


def test_import_palaver_stays_light_and_lazy_names_resolve() -> None:
    code = (
        "import sys, palaver\n"
        "assert 'pyarrow' not in sys.modules and 'duckdb' not in sys.modules\n"
        "from palaver import RecordingReader, SimulationRecorder\n"
        "import palaver.recording as r\n"
        "assert SimulationRecorder is r.SimulationRecorder\n"
        "missing = [n for n in palaver.__all__ if not hasattr(palaver, n)]\n"
        "assert not missing, missing\n"
        "try:\n"
        "    palaver.SimulationRecordr\n"
        "except AttributeError as e:\n"
        "    assert 'SimulationRecordr' in str(e)\n"
        "else:\n"
        "    raise AssertionError('a misspelt name resolved')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_recording_a_mesa_model_loads_neither_the_world_nor_the_negotiators() -> None:
    # A modeller who records a Mesa model imports palaver.recording only: the
    # facade and the recorder's type checks must not load the world, the
    # mechanisms or the negotiators (~15 MB and 0.2 s of modules).
    code = (
        "import sys\n"
        "import palaver.recording\n"
        "heavy = [m for m in ('palaver.world', 'palaver.mechanisms', 'palaver.negotiators',\n"
        "         'palaver.preferences', 'palaver.outcomes') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "class Model:\n"
        "    steps = 0\n"
        "rec = palaver.recording.SimulationRecorder(Model(), output_dir=None)\n"
        "rec.record_event('x', {'a': 1}, agent_id=1)\n"
        "assert len(rec.events) == 1 and 'palaver.world' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
