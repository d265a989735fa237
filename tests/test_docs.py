"""Every ```python block in README.md and docs/*.md runs, so the guide cannot rot.

The blocks of one file run in order in one namespace, in a fresh temporary
working directory, so a page can build on its earlier examples.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def python_blocks(page: Path) -> list[tuple[int, str]]:
    """The ```python blocks of a page with the line each starts on."""
    text = page.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in BLOCK.finditer(text)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples_run(page: Path, tmp_path: Path) -> None:
    blocks = python_blocks(page)
    if not blocks:
        pytest.skip(f"{page.name} has no python examples")
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        for line, source in blocks:
            code = compile(source, f"{page.name}:{line}", "exec")
            exec(code, namespace)
    finally:
        os.chdir(cwd)


def test_block_extraction_finds_fenced_python(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text("x\n```python\na = 1\n```\n```text\nno\n```\n```python\nb = a\n```\n")
    assert python_blocks(page) == [(2, "a = 1\n"), (8, "b = a\n")]
