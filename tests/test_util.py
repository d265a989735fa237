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
