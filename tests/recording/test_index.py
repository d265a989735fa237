"""The positions index built from the codes given while recording matches the
one built from the stored columns."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from palaver.recording.arrow import int64_array, string_array
from palaver.recording.segments import coded_grouping, column_grouping, step_grouping


def as_dict(grouping: tuple[list[Any], np.ndarray, np.ndarray]) -> dict[str, list[int]]:
    keys, counts, order = grouping
    bounds = np.concatenate(([0], np.cumsum(counts)))
    return {str(k): order[bounds[i] : bounds[i + 1]].tolist() for i, k in enumerate(keys)}


@given(
    st.lists(st.sampled_from([None, 1, "1", 2, "b", "c"]), max_size=60),
    st.lists(st.sampled_from([None, 7, "x"]), max_size=3),
)
def test_coded_grouping_matches_the_column(values: list[Any], unused: list[Any]) -> None:
    # Keys are coded in order of first appearance, plus keys this part never uses;
    # 1 and "1" are the same text once stored.
    keys: list[Any] = list(dict.fromkeys([*unused, *values]))
    codes = np.array([keys.index(v) for v in values], np.int32)
    texts = [None if k is None else str(k) for k in keys]
    column = string_array([None if v is None else str(v) for v in values])
    assert as_dict(coded_grouping(codes, texts)) == as_dict(column_grouping(column))


@given(st.lists(st.integers(min_value=0, max_value=5), max_size=60), st.booleans())
def test_step_grouping_matches_the_column(steps: list[int], ordered: bool) -> None:
    if ordered:
        steps = sorted(steps)
    values = np.array(steps, np.int64)
    expected = as_dict(column_grouping(int64_array(steps)))
    assert as_dict(step_grouping(values)) == expected
