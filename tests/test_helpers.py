"""palaver.helpers (NegMAS's negmas.helpers), palaver.named and NegMAS's warning classes."""

from __future__ import annotations

import enum
import json
import logging
import pickle
import warnings
from pathlib import Path
from typing import Any

import pytest

from palaver.helpers import (
    ConfigReader,
    create_loggers,
    get_class,
    get_full_type_name,
    has_needed_files,
    import_by_name,
    instantiate,
    is_nonzero_file,
    pretty_string,
    shortest_unique_names,
)
from palaver.named import NamedObject
from palaver.negmas import NegmasUnexpectedValueWarning, NegmasWarning, SAOMechanism, warn
from palaver.preferences import MappingUtilityFunction, ReservedValueWarning
from palaver.preferences.normalization import correct_reserved_value

# -- shortest_unique_names -----------------------------------------------------------


def test_shortest_unique_names_keeps_as_many_trailing_fields_as_tell_names_apart() -> None:
    names = ["x.y.dog", "p.q.r", "x.z.dog", "m.n.y.dog"]
    assert shortest_unique_names(names) == ["x.y.dog", "r", "z.dog", "n.y.dog"]
    assert shortest_unique_names(names, sep="/") == names  # no "/" in them: whole names
    assert shortest_unique_names(["one"]) == ["one"]


def test_shortest_unique_names_max_compression_cuts_to_distinct_prefixes() -> None:
    assert shortest_unique_names(["q.apple", "q.avocado", "q.berry"], max_compression=True) == [
        "ap",
        "av",
        "b",
    ]


def test_shortest_unique_names_leaves_equal_names_whole_unless_uniqueness_is_guaranteed() -> None:
    names = ["k.m.owl", "k.m.owl", "z.bee"]
    assert shortest_unique_names(names) == ["k.m.owl", "k.m.owl", "bee"]
    made = shortest_unique_names(names, guarantee_unique=True)
    assert made == ["owl0", "owl", "bee"] and len(set(made)) == 3


# -- classes ---------------------------------------------------------------------------


class Widget:
    def __init__(self, size: int = 1) -> None:
        self.size = size


def test_get_class_finds_dotted_names_scope_names_and_pascal_case() -> None:
    assert get_class("palaver.negmas.SAOMechanism") is SAOMechanism
    assert get_class("SAOMechanism", module_name="palaver.negmas") is SAOMechanism
    assert get_class("widget", scope={"Widget": Widget}) is Widget
    assert get_class("Widget", scope=globals()) is Widget
    assert get_class(Widget) is Widget
    assert get_class("int") is int
    with pytest.raises(ImportError, match="'Gadget'"):
        get_class("Gadget", scope={})
    with pytest.raises(ImportError, match="no_such_module"):
        get_class("no_such_module.Thing")


def test_instantiate_and_type_names() -> None:
    made = instantiate("Widget", scope=globals(), size=4)
    assert isinstance(made, Widget) and made.size == 4
    assert instantiate(None) is None
    assert get_full_type_name(Widget) == f"{__name__}.Widget"
    assert get_full_type_name(Widget(2)) == f"{__name__}.Widget"
    assert get_full_type_name("a.b") == "a.b" and get_full_type_name(None) is None
    assert import_by_name("palaver.negmas.SAOMechanism") is SAOMechanism
    assert import_by_name(Widget) is Widget


# -- strings and files -----------------------------------------------------------------


def test_pretty_string_nests_and_compacts() -> None:
    assert pretty_string({"k": [7, 8]}) == "{\n  k:[\n    7\n    8\n  ]\n}"
    assert pretty_string(("u", 3.5), tab_size=4) == "[\n    u\n    3.5\n]"
    assert pretty_string({"k": 7}, compact=True) == '{  "k":7}'
    assert pretty_string("plain") == "plain"


def test_file_checks(tmp_path: Path) -> None:
    empty, full = tmp_path / "empty.txt", tmp_path / "full.txt"
    empty.write_text("")
    full.write_text("x")
    assert not is_nonzero_file(empty) and is_nonzero_file(full)
    assert not is_nonzero_file(tmp_path / "missing") and not is_nonzero_file(tmp_path)
    (tmp_path / "sub").mkdir()
    assert has_needed_files(tmp_path, ["sub", ("nope", "empty.txt")]) == [
        tmp_path / "sub",
        tmp_path / "empty.txt",
    ]
    assert has_needed_files(tmp_path, needed_nonzero_files=[("empty.txt", "full.txt")]) == [full]
    assert has_needed_files(tmp_path, ["sub", "nope"]) == []
    assert has_needed_files(full, ["x"]) == []


def test_create_loggers_writes_a_file_only_when_asked(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    quiet = create_loggers(module_name="palaver-test-quiet", screen_level=None)
    quiet.warning("nowhere")
    assert list(tmp_path.iterdir()) == []
    target = tmp_path / "logs" / "run.log"
    logger = create_loggers(target, module_name="palaver-test-file", screen_level=None)
    logger.info("hello")
    for h in logger.handlers:
        h.flush()
    assert "INFO - hello" in target.read_text()
    assert create_loggers(module_name="palaver-test-file") is logger
    assert len(logger.handlers) == 1
    for h in list(logger.handlers):
        logger.removeHandler(h)
        h.close()
    assert isinstance(logger, logging.Logger)


# -- ConfigReader ----------------------------------------------------------------------


class Shade(enum.Enum):
    LIGHT = 1
    DARK = 2


class Leaf(ConfigReader):
    def __init__(self, v: int) -> None:
        self.v = v


class Twig(Leaf):
    pass


class Branch(ConfigReader):
    def __init__(self, w: int, leaf: Leaf | None = None) -> None:
        self.w, self.leaf = w, leaf
        self.twigs: list[Twig | None] = []

    def set_twigs(self, twigs: list[Twig | None]) -> None:
        self.twigs = twigs


class Tree(ConfigReader):
    def __init__(self, name: str, shade: Shade, branch: Branch, sizes: list[int]) -> None:
        self.name, self.shade, self.branch, self.sizes = name, shade, branch, sizes


def test_config_reader_builds_children_setters_and_typed_values(tmp_path: Path) -> None:
    config = {
        "name": "oak",
        "shade:Shade": 2,
        "sizes": [1, 2],
        "branch": {"w": 3, "leaf": {"v": 4}, "twigs": [{"v": 5}, None]},
    }
    tree = Tree.from_config(config, scope=globals())
    assert tree.name == "oak" and tree.shade is Shade.DARK and tree.sizes == [1, 2]
    assert tree.branch.w == 3 and tree.branch.leaf.v == 4
    assert [x if x is None else x.v for x in tree.branch.twigs] == [5, None]
    path = tmp_path / "tree.json"
    path.write_text(json.dumps({"tree": config}))
    again, unused = Tree.from_config(path, section="tree", ignore_children=False, scope=globals())
    assert again.branch.leaf.v == 4 and unused == {}
    assert Tree.from_config(None) is None
    with pytest.raises(FileNotFoundError, match=r"nothere\.json"):
        Tree.from_config(tmp_path / "nothere.json")
    with pytest.raises(ImportError, match="'Shade': no 'Shade' in the scope"):
        Tree.from_config(config, scope={})


# -- NamedObject and warnings ----------------------------------------------------------


class Counter(NamedObject):
    def __init__(self, name: str | None = None) -> None:
        super().__init__(name)
        self._step = 7


def test_named_object_names_ids_and_type_names() -> None:
    a, b = NamedObject("seller"), NamedObject()
    assert a.name == "seller" and a.id.startswith("seller-") and a.uuid == a.id
    assert len(b.name) == 16 and b.id != a.id
    assert NamedObject("x", id="fixed").id == "fixed"
    a.id = "other"
    assert a.uuid == "other"
    a.set_id("third")
    assert a.id == "third"
    assert a.type_name == "palaver.named.NamedObject" and a.short_type_name == "NamedObject"
    assert NamedObject(type_name="my.Kind").short_type_name == "Kind"
    assert isinstance(Counter.create("c"), Counter)


def test_named_object_checkpoints_prefix_the_step_to_a_given_name(tmp_path: Path) -> None:
    c = Counter("c")
    single = c.checkpoint(tmp_path, file_name="mine")
    assert single.name == "mine"
    by_step = c.checkpoint(tmp_path, file_name="mine", single_checkpoint=False)
    assert by_step.name == "00007.mine"
    loaded = Counter.from_checkpoint(by_step)
    assert loaded.name == "c" and loaded.id == c.id
    assert Counter.checkpoint_info(by_step)["step"] == 7
    assert pickle.loads(pickle.dumps(c)).id == c.id


def test_reserved_value_corrections_warn_with_negmas_category() -> None:
    ufun = MappingUtilityFunction(lambda o: float(o[0]), outcomes=3)
    with pytest.warns(NegmasUnexpectedValueWarning) as caught:
        correct_reserved_value(float("nan"), ufun)
    assert issubclass(caught[0].category, ReservedValueWarning)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        warn("careful")
    assert seen[0].category is NegmasWarning and seen[0].filename == __file__
