"""NegMAS module paths of the names added for its own tests resolve to Palaver's classes."""

from __future__ import annotations

import importlib

import pytest

import palaver.negmas as negmas
from palaver.mechanisms import ExtendedResponseType
from palaver.negotiators import (
    ACTime,
    AdditiveFirstFollowingTBNegotiator,
    GBNegotiator,
    HybridNegotiator,
    PolyAspiration,
    make_boa,
)
from palaver.scenarios import STATS_FILE_NAME
from palaver.tables import save_table


@pytest.mark.parametrize(
    ("module", "name", "expected"),
    [
        ("gb.negotiators.hybrid", "HybridNegotiator", HybridNegotiator),
        ("gb.negotiators.base", "GBNegotiator", GBNegotiator),
        ("sao.negotiators.modular.boa", "make_boa", make_boa),
        ("gb.components.acceptance", "ACTime", ACTime),
        ("negotiators.helpers", "PolyAspiration", PolyAspiration),
        ("gb.common", "ExtendedResponseType", ExtendedResponseType),
        ("inout", "STATS_FILE_NAME", STATS_FILE_NAME),
        ("helpers.inout", "save_table", save_table),
    ],
)
def test_negmas_paths(module: str, name: str, expected: object) -> None:
    assert getattr(importlib.import_module(f"palaver.negmas.{module}"), name) is expected


def test_attribute_chains_after_import_negmas() -> None:
    chain = negmas.sao.negotiators.timebased.AdditiveFirstFollowingTBNegotiator  # type: ignore[attr-defined]
    assert chain is AdditiveFirstFollowingTBNegotiator
    assert negmas.sao.components.acceptance.EndImmediately is negmas.EndImmediately  # type: ignore[attr-defined]
