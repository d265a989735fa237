"""NegMAS's generate_values: ordinal values as zero-padded text."""

from __future__ import annotations

import pytest

from palaver.outcomes import generate_values


def test_generate_values_sort_as_their_numbers() -> None:
    assert generate_values(3) == ["0", "1", "2"]
    values = generate_values(12)
    assert values[0] == "00" and values[-1] == "11" and sorted(values) == values
    assert [int(v) for v in generate_values(1000)] == list(range(1000))
    assert generate_values(0) == []
    with pytest.raises(ValueError, match="non-negative int"):
        generate_values(-1)
