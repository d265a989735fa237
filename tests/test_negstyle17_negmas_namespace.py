"""``import negmas`` and then ``negmas.sao.X``: NegMAS's subpackages as attributes."""

from __future__ import annotations

import subprocess
import sys

import pytest

import palaver.negmas as negmas
from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.preferences import TableFun


def test_negmas_module_paths_are_attributes() -> None:
    assert negmas.sao.SAOMechanism is SAOMechanism
    assert negmas.preferences.value_fun.TableFun is TableFun
    assert negmas.sao.negotiators.timebased.AspirationNegotiator is AspirationNegotiator
    assert negmas.sao is sys.modules["palaver.negmas.sao"]


def test_other_names_are_still_missing() -> None:
    with pytest.raises(AttributeError, match=r"'palaver\.negmas' has no attribute 'nosuch'"):
        negmas.nosuch  # noqa: B018
    with pytest.raises(AttributeError, match=r"'palaver\.negmas\.sao' has no attribute 'nosuch'"):
        negmas.sao.nosuch  # noqa: B018
    assert not hasattr(negmas, "SAOMechanismm")


def test_a_fresh_interpreter_reaches_them_after_import_alone() -> None:
    code = (
        "import palaver.negmas as negmas\n"
        "m = negmas.sao.SAOMechanism(issues=[negmas.make_issue(5)], n_steps=5)\n"
        "print(type(m).__name__, negmas.outcomes.make_issue is negmas.make_issue)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["SAOMechanism", "True"]
