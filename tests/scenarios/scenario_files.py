"""Scenario files for the tests, written for Palaver from the formats' descriptions.

A "holiday" domain: a discrete issue, an integer issue and a real issue, with
two profiles whose utilities are easy to work out by hand (see the tests).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

GENIUS_DOMAIN = """<?xml version="1.0" encoding="UTF-8"?>
<negotiation_template>
  <utility_space number_of_issues="3">
    <objective index="0" name="holiday" type="objective" etype="objective">
      <issue index="1" name="place" type="discrete" etype="discrete" vtype="discrete">
        <item index="1" value="beach" description="sun"/>
        <item index="2" value="city"/>
        <item index="3" value="mountains"/>
      </issue>
      <issue index="2" name="days" type="integer" etype="integer" vtype="integer"
             lowerbound="1" upperbound="5"/>
      <issue index="3" name="budget" type="real" etype="real" vtype="real">
        <range lowerbound="100.0" upperbound="500.0"/>
      </issue>
    </objective>
  </utility_space>
</negotiation_template>
"""

# place: 8/4/2 -> 1, .5, .25 (divided by the largest); days: .25 d - .25
# (Genius counts an integer evaluator from the lower bound: 0 + .25 (d - 1));
# budget (a real issue's parameter spelling): 1.25 - .0025 b.
GENIUS_ALICE = """<?xml version="1.0" encoding="UTF-8"?>
<utility_space>
  <objective index="0" name="holiday" type="objective" etype="objective">
    <issue index="1" name="place" type="discrete" etype="discrete" vtype="discrete">
      <item index="1" value="beach" evaluation="8"/>
      <item index="2" value="city" evaluation="4"/>
      <item index="3" value="mountains" evaluation="2"/>
    </issue>
    <weight index="1" value="0.5"/>
    <issue index="2" name="days" type="integer" etype="integer" vtype="integer"
           lowerbound="1" upperbound="5">
      <evaluator ftype="linear" slope="0.25" offset="0.0"/>
    </issue>
    <weight index="2" value="0.3"/>
    <issue index="3" name="budget" type="real" etype="real" vtype="real">
      <range lowerbound="100.0" upperbound="500.0"/>
      <evaluator ftype="linear" parameter0="1.25" parameter1="-0.0025"/>
    </issue>
    <weight index="3" value="0.2"/>
  </objective>
  <reservation value="0.25"/>
  <discount_factor value="0.9"/>
</utility_space>
"""

# place: 1/3/2 -> 1/3, 1, 2/3; days: 1.25 - .25 d (1 - .25 (d - 1)); budget:
# .0025 b - .25.
# No discount factor (none), reservation .3.
GENIUS_BOB = """<?xml version="1.0" encoding="UTF-8"?>
<utility_space>
  <objective index="0" name="holiday" type="objective" etype="objective">
    <issue index="1" name="place" type="discrete" etype="discrete" vtype="discrete">
      <item index="1" value="beach" evaluation="1"/>
      <item index="2" value="city" evaluation="3"/>
      <item index="3" value="mountains" evaluation="2"/>
    </issue>
    <issue index="2" name="days" type="integer" etype="integer" vtype="integer">
      <range lowerbound="1" upperbound="5"/>
      <evaluator ftype="linear" slope="-0.25" offset="1.0"/>
    </issue>
    <issue index="3" name="budget" type="real" etype="real" vtype="real">
      <range lowerbound="100.0" upperbound="500.0"/>
      <evaluator ftype="linear" slope="0.0025" offset="-0.25"/>
    </issue>
    <weight index="1" value="0.4"/>
    <weight index="2" value="0.35"/>
    <weight index="3" value="0.25"/>
  </objective>
  <reservation value="0.3"/>
</utility_space>
"""

GW_DOMAIN: dict[str, Any] = {
    "name": "holiday",
    "issuesValues": {
        "place": {"values": ["beach", "city", "mountains"]},
        "days": {"range": {"low": 1, "high": 5, "step": 1}},
    },
}

GW_ALICE: dict[str, Any] = {
    "LinearAdditiveUtilitySpace": {
        "issueUtilities": {
            "place": {
                "discreteutils": {"valueUtilities": {"beach": 1, "city": 0.5, "mountains": 0}}
            },
            "days": {
                "numberutils": {"lowValue": 1, "lowUtility": 0, "highValue": 5, "highUtility": 1}
            },
        },
        "issueWeights": {"place": 0.6, "days": 0.4},
        "domain": GW_DOMAIN,
        "name": "alice",
        "reservationBid": {"issuevalues": {"place": "city", "days": 3}},
    }
}

GW_BOB: dict[str, Any] = {
    "LinearAdditiveUtilitySpace": {
        "issueUtilities": {
            "place": {
                "discreteutils": {"valueUtilities": {"beach": 0.2, "city": 1, "mountains": 0.6}}
            },
            "days": {
                "numberutils": {"lowValue": 1, "lowUtility": 1, "highValue": 5, "highUtility": 0}
            },
        },
        "issueWeights": {"place": 0.5, "days": 0.5},
        "domain": GW_DOMAIN,
        "name": "bob",
    }
}


def write_genius(folder: Path, alice: str = GENIUS_ALICE, bob: str = GENIUS_BOB) -> Path:
    """The holiday scenario as Genius files in ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "holiday-domain.xml").write_text(GENIUS_DOMAIN, encoding="utf-8")
    (folder / "holiday-alice.xml").write_text(alice, encoding="utf-8")
    (folder / "holiday-bob.xml").write_text(bob, encoding="utf-8")
    return folder


def write_geniusweb(
    folder: Path, alice: dict[str, Any] | None = None, bob: dict[str, Any] | None = None
) -> Path:
    """The GeniusWeb holiday scenario in ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "holiday.json").write_text(json.dumps(GW_DOMAIN), encoding="utf-8")
    (folder / "alice.json").write_text(json.dumps(alice or GW_ALICE), encoding="utf-8")
    (folder / "bob.json").write_text(json.dumps(bob or GW_BOB), encoding="utf-8")
    return folder
