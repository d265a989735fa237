"""Mechanism options given falsy wrong values are refused where they are given."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from palaver.mechanisms import SAOMechanism
from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError
from palaver.outcomes import make_issue

ISSUES = [make_issue(5, "x")]


@pytest.mark.parametrize("name", ["pend", "pend_per_second"])
@pytest.mark.parametrize("bad", [[], {}, "", (), None])
def test_a_falsy_ending_probability_of_the_wrong_type_is_refused(name: str, bad: Any) -> None:
    # Read by truthiness, these were taken for "no random ending", silently.
    with pytest.raises(MechanismTypeError, match=rf"{name} must be a finite number, got"):
        SAOMechanism(issues=ISSUES, n_steps=5, **{name: bad})


@pytest.mark.parametrize("name", ["pend", "pend_per_second"])
@pytest.mark.parametrize("value", [0, 0.0, np.float64(0.0), np.int64(0)])
def test_zero_in_any_numeric_type_is_no_random_ending(name: str, value: Any) -> None:
    m = SAOMechanism(issues=ISSUES, n_steps=5, **{name: value})
    assert getattr(m.limits, name) == 0.0 and type(getattr(m.limits, name)) is float


def test_an_empty_checkpoint_folder_or_file_name_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(
        MechanismValueError, match="checkpoint_folder must be a folder path, got ''"
    ):
        SAOMechanism(issues=ISSUES, n_steps=5, checkpoint_folder="", checkpoint_every=1)
    with pytest.raises(MechanismValueError, match="checkpoint_filename must be a non-empty"):
        SAOMechanism(
            issues=ISSUES, n_steps=5, checkpoint_folder=tmp_path / "c", checkpoint_filename=""
        )
    assert os.listdir(tmp_path) == []  # nothing written in the current folder
