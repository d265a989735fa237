"""A checkpoint pickled by another Palaver version (whose classes moved or were
renamed) fails to load with a message saying so and naming the file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import palaver
import palaver.mechanisms.sao as sao_module
from palaver.examples.trips import build_trips
from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction
from palaver.world import CheckpointError, load_checkpoint, save_checkpoint


class _Gone:
    """Stands for a class an older Palaver had (``sao._OffersOf`` before the split)."""


def _mechanism() -> SAOMechanism:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=10)
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([1.0])))
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0])))
    return m


def _with_gone_class(monkeypatch: pytest.MonkeyPatch, obj: Any) -> None:
    _Gone.__module__ = "palaver.mechanisms.sao"
    _Gone.__qualname__ = "_OffersOf"
    monkeypatch.setattr(sao_module, "_OffersOf", _Gone, raising=False)
    obj.gone = _Gone()


def test_a_mechanism_checkpoint_of_another_version_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = _mechanism()
    m.step()
    _with_gone_class(monkeypatch, m)
    file = m.checkpoint(tmp_path)
    monkeypatch.delattr(sao_module, "_OffersOf")  # this version has no such class
    with pytest.raises(ValueError) as raised:
        SAOMechanism.from_checkpoint(file)
    message = str(raised.value)
    assert str(file) in message
    assert "written by a different version of Palaver" in message
    assert palaver.__version__ in message
    assert "_OffersOf" in message


def test_a_world_checkpoint_of_another_version_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_trips(3, 4, seed=1)
    _with_gone_class(monkeypatch, world)
    file = tmp_path / "w.ckpt"
    save_checkpoint(world, file)
    monkeypatch.delattr(sao_module, "_OffersOf")
    with pytest.raises(CheckpointError, match=re.escape(str(file))) as raised:
        load_checkpoint(file)
    assert "written by a different version of Palaver" in str(raised.value)
