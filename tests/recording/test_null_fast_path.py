"""A ``None`` in content keeps orjson's text; a NaN anywhere still takes the exact path."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from palaver.recording import SimulationRecorder
from palaver.recording.event import encode, nonfinite


@dataclasses.dataclass
class Point:
    x: float
    label: str | None


def test_nonfinite_looks_inside_and_is_careful_with_the_rest() -> None:
    assert not nonfinite({"a": None, "b": [1, "x", (2.5, None)]})
    assert nonfinite({"a": None, "b": [1, (float("nan"),)]})
    assert nonfinite([None, -math.inf])
    assert nonfinite({"p": Point(1.0, None)})  # went through the default conversion
    assert nonfinite(np.array([1.0]))


def test_recorded_text_with_none_and_nan() -> None:
    rec = SimulationRecorder(None, output_dir=None)
    rec.record_event("a", {"none": None, "deep": [[None, 1.5]]})
    rec.record_event("b", {"p": Point(math.nan, None), "n": np.float64("inf")})
    first, second = rec.events
    assert first.content == {"none": None, "deep": [[None, 1.5]]}
    assert math.isnan(second.content["p"]["x"]) and second.content["p"]["label"] is None
    assert second.content["n"] == math.inf
    assert encode({"none": None}) == '{"none":null}'
