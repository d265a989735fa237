"""A NegotiationCompetitor's params and name are checked when it is made.

``NegotiationCompetitor(AspirationNegotiator, params=3)`` and ``name=3`` were
kept, and ``cartesian_tournament`` then failed with ``'int' object is not
iterable`` or ``sequence item 0: expected str instance``, naming neither.
"""

from __future__ import annotations

from typing import Any

import pytest

from palaver.negotiators import AspirationNegotiator
from palaver.tournaments.negotiation import NegotiationCompetitor


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"params": 3}, "params must be a dict of constructor parameters, got 3"),
        ({"params": [("a", 1)]}, "params must be a dict"),
        ({"params": {1: 2}}, "params must be a dict of constructor parameters"),
        ({"name": 3}, "name must be a text, got 3"),
        ({"name": None}, "name must be a text, got None"),
    ],
)
def test_bad_fields_are_refused_naming_them(options: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        NegotiationCompetitor(AspirationNegotiator, **options)


def test_good_fields_are_kept_as_a_dict() -> None:
    made = NegotiationCompetitor("aspiration", params={"max_aspiration": 0.9}, name="asp")
    assert made.params == {"max_aspiration": 0.9} and type(made.params) is dict
    assert made.name == "asp"
