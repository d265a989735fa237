"""Bad input gets a clear error and never corrupts the recording."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pytest
from recording_helpers import BusWorld, WalkModel

import palaver.recording as pr
from palaver.recording import QueryError, RecordingError, SimulationRecorder


def test_output_dir_that_is_a_file(tmp_path: Path, walk_model: WalkModel) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(RecordingError, match="exists and is not a folder"):
        SimulationRecorder(walk_model, output_dir=target)
    with pytest.raises(RecordingError, match="cannot create output_dir"):
        SimulationRecorder(walk_model, output_dir=target / "sub")
    assert target.read_text() == "x"


def test_output_dir_not_writable(
    tmp_path: Path, walk_model: WalkModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    real_access = os.access
    # Root ignores permission bits, so the check is also exercised through os.access.
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode)
    )
    try:
        with pytest.raises(RecordingError, match="not writable"):
            SimulationRecorder(walk_model, output_dir=locked)
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("name", ["../x.json", "a/../../x.json", "/tmp/abs.json", ".", ""])
def test_filename_cannot_leave_output_dir(tmp_path: Path, walk_model: WalkModel, name: str) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path / "out")
    rec.record_event("x", {"a": 1})
    with pytest.raises(ValueError, match="inside output_dir"):
        rec.save(name)
    assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize("fmt", ["json", "parquet"])
def test_saving_over_a_fifo_is_refused_naming_it(
    tmp_path: Path, walk_model: WalkModel, fmt: str
) -> None:
    # The atomic rename replaced the FIFO with the export, silently.
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    rec.record_event("note", {"x": 1}, agent_id=1)
    fifo = tmp_path / f"exp.{fmt}"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match=r"exp\.\w+' is a FIFO, not a regular file"):
        rec.save(f"exp.{fmt}", format=fmt)
    assert fifo.is_fifo()
    assert len(rec.events) == 1  # nothing recorded is lost
    assert Path(rec.save("again.json")).is_file()
    rec.close()


def test_filename_in_a_subfolder_is_fine(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    assert rec.save("runs/a.json") == (tmp_path / "runs" / "a.json").resolve()


def test_pickle_and_unknown_formats_refused(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    with pytest.raises(ValueError, match=r"pickle.*arbitrary code.*'json'.*'parquet'"):
        rec.save("x.pkl", format="pickle")
    with pytest.raises(ValueError, match=r"Format must be 'json' or 'pickle'.*not 'xml'"):
        rec.save("x.xml", format="xml")
    assert not list(tmp_path.glob("x.*"))


class Opaque:
    def __repr__(self) -> str:
        return "<Opaque thing>"


def test_non_json_content_is_stored_in_string_form(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    rec.record_event(
        "weird",
        {
            "obj": Opaque(),
            "when": datetime(2024, 1, 2, 3, 4, 5),
            "day": date(2024, 1, 2),
            "arr": np.arange(3),
            "n": np.int64(4),
            "s": {3},
            "t": (1, 2),
            "b": b"xy",
            5: "int key",
        },
    )
    rec.record_event("tuple_keys", {(1, 2): "v"})
    loop: dict = {}
    loop["self"] = loop
    rec.record_event("cycle", loop)
    rec.record_event("plain", Opaque())
    weird, tkeys, cycle, plain = list(rec.events)
    assert weird.content == {
        "obj": "<Opaque thing>",
        "when": "2024-01-02T03:04:05",
        "day": "2024-01-02",
        "arr": [0, 1, 2],
        "n": 4,
        "s": [3],
        "t": [1, 2],
        "b": "b'xy'",
        "5": "int key",
    }
    assert tkeys.content == {"(1, 2)": "v"}
    assert cycle.content == {"unserialisable": "{'self': {...}}"}
    assert plain.content == {"data": "<Opaque thing>"}
    data = json.loads(rec.save("w.json").read_text())
    assert data["events"][0]["content"]["obj"] == "<Opaque thing>"


def test_bad_arguments(tmp_path: Path, walk_model: WalkModel) -> None:
    with pytest.raises(ValueError, match="auto_save_interval"):
        SimulationRecorder(walk_model, output_dir=tmp_path, auto_save_interval=0)
    with pytest.raises(ValueError, match="unknown detail"):
        SimulationRecorder(walk_model, output_dir=tmp_path, detail="everything")
    with pytest.raises(ValueError, match="memory_window"):
        SimulationRecorder(walk_model, output_dir=tmp_path, memory_window=0)
    with pytest.raises(TypeError, match=r"'steps'.*'current_step'"):
        SimulationRecorder(object(), output_dir=tmp_path)
    with pytest.raises(TypeError, match=r"^model must be a Mesa model.*got 'my_model' \(str\)"):
        SimulationRecorder("my_model", output_dir=tmp_path)

    class Early(mesa.Model):
        def __init__(self) -> None:
            self.recorder = SimulationRecorder(self, output_dir=tmp_path)
            super().__init__()

    with pytest.raises(TypeError, match=r"build the recorder after super\(\).__init__\(\)"):
        Early()
    assert list(tmp_path.iterdir()) == []  # nothing written for refused arguments
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    with pytest.raises(TypeError, match="event_type must be a str"):
        rec.record_event(3, {})
    with pytest.raises(ValueError, match="event_type must be a non-empty str"):
        rec.record_event("", {})  # an event no query could name
    with pytest.raises(TypeError, match="needs a Palaver World"):
        rec.attach(walk_model)


def test_closed_recorder_refuses_events(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    rec.close()
    with pytest.raises(RecordingError, match="closed"):
        rec.record_event("x", {})
    rec.close()


def test_nothing_pickled(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    rec.record_event("x", {"a": 1})
    rec.save("a.json")
    rec.close()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert not path.read_bytes().startswith(b"\x80"), f"{path} looks like a pickle"


def test_refused_agent_id_keeps_other_ids_and_their_type(
    tmp_path: Path, walk_model: WalkModel
) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path, memory_window=3)
    rec.record_event("x", {}, agent_id=0)
    with pytest.raises(TypeError, match=r"agent_id must be a hashable id.*\{'a': 1\} \(dict\)"):
        rec.record_event("x", {}, agent_id={"a": 1})
    with pytest.raises(TypeError, match="agent_id"):
        rec.record_event("x", {}, agent_id=[1])
    # The agent itself instead of its id: its text holds a memory address.
    agent = walk_model.agents[0]
    with pytest.raises(TypeError, match=r"agent_id <.* object at 0x.*memory address.*unique_id"):
        rec.record_event("x", {}, agent_id=object())
    if type(agent).__repr__ is object.__repr__:
        with pytest.raises(TypeError, match="unique_id"):
            rec.record_event("x", {}, agent_id=agent)
    # Odd but hashable ids in the same flush as int ids: the ints stay ints.
    rec.record_event("x", {}, agent_id=2.5)
    rec.record_event("x", {}, agent_id=np.int64(1))
    rec.record_event("x", {}, agent_id="s")
    rec.record_event("x", {}, agent_id=3)
    assert rec.folder is not None
    rec.close()
    import palaver.recording as recording

    with recording.open(rec.folder) as reader:
        ids = [e.agent_id for e in reader.events if e.event_type == "x"]
        assert ids == [0, 2.5, 1, "s", 3]
        assert [type(i) for i in ids] == [int, float, int, str, int]
        assert reader.get_agent_events(3)[0].agent_id == 3
        assert len(reader.get_agent_events(0)) == 1


def test_record_event_argument_types(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    with pytest.raises(TypeError, match=r"metadata must be a dict or None, got \[1\]"):
        rec.record_event("x", {}, metadata=[1])
    with pytest.raises(TypeError, match="recipient_ids must be a list of agent ids or None, got 3"):
        rec.record_event("message", "hi", recipient_ids=3)
    with pytest.raises(TypeError, match=r"each of recipient_ids must be a hashable id .* \[1\]"):
        rec.record_event("message", "hi", agent_id=1, recipient_ids=[[1]])
    with pytest.raises(TypeError, match=r"each of recipient_ids .* not a bool: True"):
        rec.record_event("message", "hi", agent_id=1, recipient_ids={True})
    rec.record_event("message", "hi", agent_id=1, recipient_ids=(2, 3))
    rec.close()
    assert rec.events[0].content == {"message": "hi", "recipient_ids": [2, 3]}


def test_reader_arguments(tmp_path: Path, walk_model: WalkModel) -> None:
    import palaver.recording as recording
    from palaver.recording import QueryError

    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    rec.record_event("x", {}, agent_id=1)
    rec.close()
    assert rec.folder is not None
    with pytest.raises(TypeError, match="strict must be True or False, got 'no'"):
        recording.open(rec.folder, strict="no")
    with pytest.raises(TypeError, match="path must be a str or a path"):
        recording.open(3)  # type: ignore[arg-type]
    with recording.open(rec.folder) as reader:
        with pytest.raises(TypeError, match="step must be an integer, got '3'"):
            reader.get_events_by_step("3")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="event_type must be a str, got 3"):
            reader.get_events_by_type(3)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"an index must be an integer or a slice, got 'a'"):
            reader.events["a"]  # type: ignore[call-overload]
        assert reader.events[np.int64(0)].agent_id == 1
        with pytest.raises(QueryError, match="SELEC") as caught:
            reader.sql("SELEC 1")
        assert isinstance(caught.value, ValueError)
        with pytest.raises(QueryError, match="nope"):
            reader.sql("SELECT * FROM nope")
        assert reader.sql("SELECT count(*) FROM events WHERE event_type = 'x'").fetchall() == [(1,)]
        # The reader's own tables are read-only: dropping one broke every later query.
        for change in (
            "drop view events",
            'DROP VIEW IF EXISTS "steps"',
            "create or replace view agents as select 1",
            "ALTER TABLE stats RENAME TO s",
        ):
            with pytest.raises(QueryError, match="one of the recording's own tables"):
                reader.sql(change)
        reader.sql("CREATE VIEW events_x AS SELECT * FROM events")  # a view of one's own
        for frame in (3, "events", [1, 2]):
            # DuckDB's "Python Object ... not suitable for replacement scans" before.
            with pytest.raises(TypeError, match=r"register: obj must be a pandas or polars"):
                reader.register("mine", frame)
        count = reader.sql("SELECT count(*) FROM events").fetchall()
        assert reader.sql("SELECT count(*) FROM events_x").fetchall() == count == [(len(reader),)]


def test_ids_with_the_same_text_are_one_agent_and_a_warning_says_so(tmp_path: Path) -> None:
    from palaver.recording import RecordingWarning

    rec = SimulationRecorder(None, output_dir=tmp_path)
    rec.record_event("a", {}, agent_id=1)
    with pytest.warns(RecordingWarning, match=r"agent_id '1' \(str\) .* agent_id 1 \(int\)"):
        rec.record_event("a", {}, agent_id="1")
        rec.flush()
    rec.close()
    assert [e.agent_id for e in rec.events][:2] == [1, 1]  # then simulation_end


def test_a_recorder_on_a_world_or_mechanism_that_already_ran_is_refused(tmp_path: Path) -> None:
    from palaver.examples.trips import build_trips
    from palaver.mechanisms import SAOMechanism
    from palaver.negotiators import AspirationNegotiator
    from palaver.outcomes import make_issue
    from palaver.preferences import LinearAdditiveUtilityFunction

    world = build_trips(n_agents=3, n_steps=2, seed=1)
    world.run()
    with pytest.raises(ValueError, match=r"model: the world .* already run \(status 'completed'\)"):
        SimulationRecorder(world, output_dir=tmp_path / "w")
    assert not (tmp_path / "w").exists(), "nothing is written before the check"
    late = SimulationRecorder(None, output_dir=None)
    with pytest.raises(ValueError, match="has already run"):
        late.attach(world)
    mechanism = SAOMechanism(issues=[make_issue((0, 10), "price")], n_steps=5, seed=1)
    for name in ("a", "b"):
        mechanism.add(AspirationNegotiator(name=name),
                      ufun=LinearAdditiveUtilityFunction([lambda p: p / 10]))  # fmt: skip
    mechanism.run()
    with pytest.raises(ValueError, match="SAOMechanism has already ended"):
        SimulationRecorder(mechanism, output_dir=None)


def test_misspelt_event_types_and_levels_name_the_near_miss(
    tmp_path: Path, walk_model: WalkModel
) -> None:
    with pytest.raises(ValueError, match=r"unknown detail 'ofers'; did you mean 'offers'\?"):
        SimulationRecorder(walk_model, output_dir=tmp_path, detail="ofers")
    with pytest.raises(ValueError, match=r"unknown detail 3; use one of"):
        SimulationRecorder(walk_model, output_dir=tmp_path, detail=3)  # type: ignore[arg-type]
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    rec.record_event("note", {"i": 1})
    rec.record_event("offer", {"i": 2})
    for misspelt, meant in (
        ("ofer", "offer"),
        ("contract_sined", "contract_signed"),
        ("notes", "note"),
    ):
        with pytest.raises(
            QueryError, match=rf"event_type='{misspelt}' .*did you mean '{meant}'\?"
        ):
            rec.get_events_by_type(misspelt)
    assert len(rec.get_events_by_type("contract_signed")) == 0  # a type with no event yet
    assert len(rec.get_events_by_type("my_own_type")) == 0  # far from every known one
    rec.record_event("ofer", {})  # a user type this close may be recorded, and then queried
    assert len(rec.get_events_by_type("ofer")) == 1
    path = rec.save(format="folder")
    with pr.open(path) as reader, pytest.raises(QueryError, match=r"did you mean 'note'\?"):
        reader.get_events_by_type("notes")  # the reader asks the same


def test_model_values_names_a_misspelt_event_type(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    rec.record_model_event("metrics", {"x": 1})
    assert list(rec.model_values(event_type="metrics")["x"]) == [1]
    with pytest.raises(QueryError, match=r"did you mean 'metrics'\?"):
        rec.model_values(event_type="metric")
    # Two letters swapped in a short name (difflib alone rates "tikc" far from "tick").
    rec.record_model_event("tick", {"n": 1})
    with pytest.raises(QueryError, match=r"did you mean 'tick'\?"):
        rec.model_values(event_type="tikc")
    assert rec.model_values(event_type="tock").empty  # not a swap of a known type


def test_sql_refuses_statements_that_change_what_later_queries_read(
    tmp_path: Path, walk_model: WalkModel
) -> None:
    """``USE other`` (after an ATTACH), a search path, a transaction left open or
    a temporary view named ``events`` made every later query read another
    table, or fail, without a word."""
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    walk_model.step()
    rec.close()
    with pr.open(rec.folder) as reader:
        count = reader.sql("SELECT count(*) FROM events").fetchall()
        refused = {
            "USE other": "a SET statement",
            "ATTACH ':memory:' AS other": "an ATTACH statement",
            "DETACH other": "a DETACH statement",
            "SET search_path = 'other'": "a SET statement",
            "RESET search_path": "a SET statement",
            "BEGIN TRANSACTION": "a TRANSACTION statement",
            "PRAGMA enable_profiling": "a PRAGMA statement",
            "CALL enable_profiling()": "a CALL statement",
            "LOAD json": "a LOAD statement",
            "SELECT 1; USE other": "a SET statement",
        }
        for query, kind in refused.items():
            with pytest.raises(QueryError, match=kind) as caught:
                reader.sql(query)
            assert query in str(caught.value) and "sql() runs queries" in str(caught.value)
        hiding = (
            "CREATE TEMP VIEW events AS SELECT 1 AS x",
            "create temporary table STEPS AS SELECT 1 AS x",
            "CREATE TEMP TABLE mine (a INT); ALTER TABLE temp.mine RENAME TO agents",
        )
        for query in hiding:
            with pytest.raises(QueryError, match="one of the recording's own tables"):
                reader.sql(query)
        assert reader.sql("SELECT count(*) FROM events").fetchall() == count
        # Only statements are read for changes, not the text of a query's literals.
        said = "SELECT count(*) FROM events WHERE content LIKE '%drop view events%'"
        assert reader.sql(said).fetchall() == [(0,)]
        assert reader.sql("SELECT count(*) FROM steps").fetchall() == [(1,)]
        assert reader.sql("SELECT current_database(), current_schema()").fetchall() == [
            ("memory", "main")
        ]
        # The caller's own schemas, tables and views, and queries of every kind, run.
        reader.sql("CREATE SCHEMA mine; CREATE TABLE mine.t AS SELECT step FROM events")
        reader.sql("INSERT INTO mine.t VALUES (99)")
        assert reader.sql("SELECT max(step) FROM mine.t").fetchall() == [(99,)]
        assert reader.sql("DESCRIBE events").fetchall()[0][0] == "index"
        assert reader.sql("PIVOT (SELECT step, event_type FROM events) ON step").fetchall()
        assert reader.sql("SELECT count(*) FROM events").fetchall() == count


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"event_type": "odd\ud800"}, "event_type"),
        ({"event_type": "e", "agent_id": "a\udfff"}, "agent_id"),
    ],
)
def test_an_id_or_type_that_is_not_valid_unicode_is_refused(
    tmp_path: Path, walk_model: WalkModel, arguments: dict[str, Any], named: str
) -> None:
    """An agent id or event type holding a lone surrogate was accepted, and every
    later flush of the recording failed on it (close() too): nothing after it,
    and nothing buffered with it, could be written."""
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    rec.record_event("before", {"n": 1})
    with pytest.raises(ValueError, match=rf"{named}.*valid Unicode.*lone surrogate"):
        rec.record_event(content={"x": 1}, **arguments)
    rec.record_event("after", {"n": 2}, agent_id="é")
    rec.close()
    assert [e.event_type for e in pr.open(rec.folder).events] == [
        "before",
        "after",
        "simulation_end",
    ]


def test_sql_finds_the_callers_frames_whatever_their_names(
    tmp_path: Path, walk_model: WalkModel
) -> None:
    """DuckDB looks for a frame named in a query in every calling frame, sql()'s
    own too: a local list of sql() named as the caller's frame (``kinds``) hid
    the frame and failed the query."""
    import pandas as pd

    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    walk_model.step()
    rec.close()
    kinds = pd.DataFrame({"agent_id": ["1", "2"], "kind": ["a", "b"]})
    statements = own = names = kinds
    with pr.open(rec.folder) as reader:
        for table in ("kinds", "statements", "own", "names"):
            query = f"SELECT kind, count(*) FROM events JOIN {table} USING (agent_id) GROUP BY ALL"
            assert sorted(reader.sql(query).fetchall()) == [("a", 1), ("b", 1)]
            reader.sql(f"CREATE TABLE copy_{table} AS SELECT * FROM {table}")
            assert reader.sql(f"SELECT count(*) FROM copy_{table}").fetchall() == [(2,)]
    assert statements is own is names


@pytest.mark.parametrize(
    ("field", "bad", "good", "error", "shown"),
    [
        ("negotiation_id", 5, "n1", TypeError, "must be a str or None, got 5"),
        ("contract_id", 5, "c1", TypeError, "must be a str or None, got 5"),
        ("agent_id", "a\ud800", "käufer", ValueError, "must be valid Unicode text"),
        ("negotiation_id", "n\ud800", "n-ü", ValueError, "must be valid Unicode text"),
        ("contract_id", "c\udfff", "c-ü", ValueError, "must be valid Unicode text"),
    ],
)
def test_a_bus_event_with_an_id_that_cannot_be_stored_is_refused_and_the_recording_goes_on(
    tmp_path: Path, field: str, bad: object, good: str, error: type[Exception], shown: str
) -> None:
    # Buffered, negotiation_id=5 failed every later write (its column is
    # text), close() included, and an id holding a lone surrogate failed the
    # step's flush (UnicodeEncodeError): the whole recording was lost. For the
    # bus's other sinks, EventBus.emit refuses ids that are not text itself.
    world = BusWorld()
    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.start()
    world.step()
    with pytest.raises(error, match=f"'note' event's {field} {shown}"):
        world.bus.emit("note", {"x": 1}, **{field: bad})
    world.bus.emit("note", {"x": 2}, **{field: good})  # non-ASCII text is fine
    world.step()
    rec.close()
    notes = list(pr.open(rec.folder).get_events_by_type("note"))
    assert [e.content for e in notes] == [{"x": 2}]
