"""Without pandas or polars (the optional ``frames`` extra), a recording's,
world's or ranking's frame says what to install and what gives the same data,
instead of a bare ``ModuleNotFoundError``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import palaver.recording as pr
from palaver._util.optional import FrameLibraryError
from palaver.examples.trips import build_trips
from palaver.recording import SimulationRecorder
from palaver.tournaments.ranking import ranking, win_matrix


def _recording(tmp_path: Path) -> Path:
    world = build_trips(n_agents=3, n_steps=2, seed=1)
    recorder = SimulationRecorder(world, output_dir=tmp_path)
    world.run()
    recorder.close()
    return recorder.folder


@pytest.mark.parametrize(("library", "method"), [("pandas", "to_pandas"), ("polars", "to_polars")])
def test_a_readers_frame_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: str, method: str
) -> None:
    reader = pr.open(_recording(tmp_path))
    table = reader.to_arrow()  # what works without it (before: pyarrow's own
    # pandas shim trips over the blocked import below, as it would not without pandas)
    monkeypatch.setitem(sys.modules, library, None)  # import fails from here on
    expected = re.escape(f"reader.{method}() needs {library}: pip install 'palaver[frames]'")
    with pytest.raises(FrameLibraryError, match=expected):
        getattr(reader, method)()
    assert table.num_rows == len(reader)


def test_a_worlds_and_a_rankings_frames_name_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    world = build_trips(n_agents=3, n_steps=2, seed=1)
    world.run()
    monkeypatch.setitem(sys.modules, "pandas", None)
    expected = re.escape("world.stats_df and world.contracts_df needs pandas")
    with pytest.raises(FrameLibraryError, match=expected):
        world.stats_df  # noqa: B018
    scores = {"competitor": ["a", "b"], "score": [1.0, 0.0], "world": ["w", "w"]}
    import pyarrow as pa

    for call, name in ((ranking, "ranking()"), (win_matrix, "win_matrix()")):
        with pytest.raises(FrameLibraryError, match=re.escape(f"{name} needs pandas")):
            call(pa.table(scores))
