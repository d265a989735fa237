"""How content is encoded: orjson, and the standard library where orjson differs.

Each test covers one way orjson's output or refusals differ from the standard
library's encoder, and checks that the recorder stores the documented form.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
import uuid
from collections import namedtuple
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recording_helpers import BusWorld

import palaver.recording as recording
from palaver.recording import SimulationRecorder
from palaver.recording.event import decode, encode, encode_slow, unescape


class Clock:
    """A model with nothing but a step counter."""

    def __init__(self) -> None:
        self.steps = 0


def stored(content: Any, tmp_path: Path | None = None) -> tuple[str, Any]:
    """Record ``content`` once; return the stored JSON text and the read-back content."""
    rec = SimulationRecorder(Clock(), output_dir=tmp_path, record_state_changes=False)
    rec.record_event("e", content)
    text = rec._store.pending[4]
    event = rec.events[0]  # flushes through Arrow (and to disk with an output_dir)
    return text, event.content


def reference(value: Any) -> str:
    """The standard library's compact encoding (the stored form's reference)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


json_data = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), json_data, max_size=5))
def test_plain_data_is_stored_exactly_as_the_standard_library_writes_it(
    value: dict[str, Any],
) -> None:
    assert encode(value) == reference(value)
    assert json.loads(encode(value)) == value
    assert decode(encode(value)) == value


def test_decode_reads_what_orjson_would_misread() -> None:
    # orjson refuses NaN, lone surrogates and 1e400, and reads integers beyond
    # 64 bits as floats: the standard library reads those.
    for text in ('{"n":NaN}', '"\\ud800"', "1e400", "[123456789012345678901234567890]"):
        got, expected = decode(text), json.loads(text)
        assert repr(got) == repr(expected) and type(got) is type(expected)
    assert decode("-9223372036854775809") == -(2**63) - 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=5))
def test_finite_floats_keep_their_value(values: list[float]) -> None:
    # orjson may spell a float differently (1e-05 as 0.00001), never change it.
    assert json.loads(encode({"x": values})) == {"x": values}


def test_nan_and_infinity_are_kept_not_turned_into_null(tmp_path: Path) -> None:
    # orjson writes NaN and infinities as null; the recorder keeps them.
    value = {"nan": math.nan, "inf": math.inf, "ninf": -math.inf, "none": None}
    text, content = stored(value, tmp_path)
    assert text == '{"nan":NaN,"inf":Infinity,"ninf":-Infinity,"none":null}'
    assert math.isnan(content["nan"]) and content["inf"] == math.inf
    assert content["ninf"] == -math.inf and content["none"] is None
    assert json.loads(encode({"x": np.float64("nan")}))["x"] != 0  # NaN, not null


def test_null_and_the_word_null_in_text(tmp_path: Path) -> None:
    value = {"a": None, "s": "null", "t": "nullify"}
    assert stored(value, tmp_path) == (reference(value), value)


def test_non_string_keys(tmp_path: Path) -> None:
    # orjson refuses them; the standard library writes int/float/bool/None keys
    # as JSON does and any other key as str(key).
    class Key(str):
        pass

    value = {1: "a", 2.5: "b", False: "c", None: "d", Key("k"): "e"}
    text, _ = stored(value, tmp_path)
    assert text == '{"1":"a","2.5":"b","false":"c","null":"d","k":"e"}'
    assert stored({(1, 2): "v"})[1] == {"(1, 2)": "v"}


def test_a_key_is_spelt_the_same_whatever_else_the_content_holds() -> None:
    # A tuple key anywhere sends the whole value down the slow path: the other
    # keys must still be written as json.dumps writes them, and the values as
    # the encoder writes them (a date as its ISO text, not its repr).
    import datetime

    alone = stored({None: 1, True: "b", 1.5: 2, 7: 3})[1]
    assert alone == {"null": 1, "true": "b", "1.5": 2, "7": 3}
    mixed = stored(
        {None: 1, True: "b", 1.5: 2, 7: 3, "p": [{(0, 1): {None: 0}}],
         "d": datetime.date(2020, 1, 2)}
    )[1]  # fmt: skip
    assert mixed == {
        "null": 1, "true": "b", "1.5": 2, "7": 3, "p": [{"(0, 1)": {"null": 0}}],
        "d": "2020-01-02",
    }  # fmt: skip


def test_integers_beyond_64_bits(tmp_path: Path) -> None:
    value = {"big": 2**70, "small": -(2**64), "edge": 2**64 - 1}
    assert stored(value, tmp_path) == (reference(value), value)


def test_numpy_values() -> None:
    value = {
        "i": np.int64(3),
        "f": np.float64(0.1),
        "f32": np.float32(0.5),
        "b": np.bool_(True),
        "arr": np.arange(3),
        "grid": np.ones((2, 2)),
    }
    assert json.loads(encode(value)) == {
        "i": 3,
        "f": 0.1,
        "f32": 0.5,
        "b": True,
        "arr": [0, 1, 2],
        "grid": [[1.0, 1.0], [1.0, 1.0]],
    }


def test_dates_keep_the_iso_form() -> None:
    # orjson has its own date format (RFC 3339); the recorder keeps isoformat().
    when = dt.datetime(2024, 1, 2, 3, 4, 5, 60)
    aware = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    value = {"when": when, "aware": aware, "day": when.date(), "time": when.time()}
    assert json.loads(encode(value)) == {
        "when": when.isoformat(),
        "aware": aware.isoformat(),
        "day": "2024-01-02",
        "time": when.time().isoformat(),
    }


@dataclasses.dataclass
class Offer:
    price: float
    when: dt.date


def test_dataclasses_subclasses_and_enums() -> None:
    class Color(enum.Enum):
        RED = 1

    class Mode(enum.StrEnum):
        FAST = "fast"

    class Ratio(float):
        pass

    point = namedtuple("point", "x y")
    value = {
        "offer": Offer(1.5, dt.date(2024, 1, 2)),
        "color": Color.RED,
        "mode": Mode.FAST,
        "ratio": Ratio(0.25),
        "point": point(1, dt.date(2024, 1, 2)),
        "set": {3},
    }
    # A dataclass follows palaver.events.plain (its fields as plain data);
    # a named tuple is a list whose items are encoded like any other.
    assert json.loads(encode(value)) == {
        "offer": {"price": 1.5, "when": repr(dt.date(2024, 1, 2))},
        "color": 1,
        "mode": "fast",
        "ratio": 0.25,
        "point": [1, "2024-01-02"],
        "set": [3],
    }
    assert encode(value) == encode_slow(value)


def test_uuids_are_stored_as_their_text() -> None:
    key = uuid.UUID(int=5)
    assert json.loads(encode({"id": key})) == {"id": str(key)}
    assert encode_slow({"id": key}) == encode({"id": key})


def test_lone_surrogates_are_escaped_and_survive_storage(tmp_path: Path) -> None:
    value = {"bad": "a\ud800b", "ok": "é"}
    text, content = stored(value, tmp_path)
    assert text == '{"bad":"a\\u0000null:d800b","ok":"é"}'
    assert content == value


# Lone surrogates (two in a row are two characters, not a pair), the escape's
# own text, and both after backslashes, in values and keys.
_ODD_TEXTS = [
    "a\ud800b",
    "\udfff",
    "\ud800\udc00",
    "\x00null:",
    "\x00null:d800",
    "\x00null:!",
    "\\u0000null:d800",
    "\\\x00null:d800",
    "x\\\ud800",
    "é\x00null:\ud900",
]


@pytest.mark.parametrize("text", _ODD_TEXTS)
def test_lone_surrogates_are_json_that_duckdb_reads(tmp_path: Path, text: str) -> None:
    """Stored as a JSON escape (``\\ud800``), a lone surrogate made DuckDB's JSON
    functions fail on the whole events view; every read must still give back
    exactly the text recorded."""
    clock = Clock()
    rec = SimulationRecorder(clock, output_dir=tmp_path)
    content = {"s": text, text: [text, {"k": text}], "n": 1}
    rec.record_event("odd", content, agent_id=1, metadata={"why": text})
    rec.record_event("plain", {"s": "ok"})
    clock.steps = 1  # the next events start a step: flushed to the log, then a part
    rec.close()
    assert rec.events[0].content == content and rec.events[0].metadata == {"why": text}
    reader = recording.open(rec.folder)
    [event] = reader.get_events_by_type("odd")
    assert event.content == content and event.metadata == {"why": text}
    found = reader.sql(
        "SELECT json_extract_string(content, '$.s'), json_extract(content, '$.n')::INT, "
        "json_valid(metadata) FROM events ORDER BY index"
    ).fetchall()
    assert found[0][1:] == (1, True) and found[1][0] == "ok"
    # What SQL gives is the stored escape: the same text read back by the reader.
    assert unescape(found[0][0]) == text


def test_deep_nesting(tmp_path: Path) -> None:
    value: Any = "leaf"
    for _ in range(300):  # orjson stops at 255 levels
        value = [value]
    assert stored({"deep": value}, tmp_path)[1] == {"deep": value}


def test_self_reference_and_unknown_objects(tmp_path: Path) -> None:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    assert stored(loop)[1] == {"unserialisable": "{'self': {...}}"}
    assert stored({"f": print}, tmp_path)[1] == {"f": repr(print)}


def test_world_payloads_take_the_same_path(tmp_path: Path, bus_world: BusWorld) -> None:
    rec = SimulationRecorder(bus_world, output_dir=tmp_path)
    payloads = [
        {"u": math.inf, "none": None},
        {"big": 2**80},
        {"s": "\udfff"},
        {"x": 0.5},
    ]
    for payload in payloads:
        bus_world.bus.emit("custom", payload)
    contents = [e.content for e in rec.events]
    assert contents[0]["u"] == math.inf and contents[0]["none"] is None
    assert contents[1:] == payloads[1:]
    rec.close()
    table = pq.read_table(rec.folder / "events" / "part-00000.parquet")
    assert table["content"][2].as_py() == '{"s":"\\u0000null:dfff"}'
    assert recording.open(rec.folder).events[1].content == {"big": 2**80}


@pytest.mark.parametrize("value", [{"a": [1, 2.5, "x", None]}, {}, {"k": {"n": {"m": []}}}])
def test_json_export_copies_the_stored_text(tmp_path: Path, value: dict[str, Any]) -> None:
    rec = SimulationRecorder(Clock(), output_dir=tmp_path)
    rec.record_event("e", value)
    data = json.loads(rec.save("x.json").read_text())
    assert data["events"][0]["content"] == value


def test_events_without_metadata_read_back_none(tmp_path: Path) -> None:
    # Missing metadata is buffered as "" (never valid JSON) and stored as null.
    clock = Clock()
    rec = SimulationRecorder(clock, output_dir=tmp_path, memory_window=4)
    for i in range(6):
        rec.record_event("e", {"i": i}, metadata={"i": i} if i % 3 == 0 else None)
        clock.steps += 1
    expected = [{"i": 0}, None, None, {"i": 3}, None, None]
    assert [e.metadata for e in rec.events] == expected
    rec.close()
    reader = recording.open(rec.folder)
    assert [e.metadata for e in reader.events][:6] == expected
    assert reader.sql("SELECT count(*) FROM events WHERE metadata IS NULL").fetchall() == [(4,)]
