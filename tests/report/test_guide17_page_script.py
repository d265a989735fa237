"""The step player's data cannot break out of its ``<script>`` element, whatever
a recording holds: a value holding ``<!--<script>`` made the HTML parser treat the
element's own ``</script>`` as text, and the data swallowed the rest of the page
(the player's code never ran)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from palaver.recording import SimulationRecorder
from palaver.report import report_html
from palaver.report.page import json_script

NASTY = ["<!--<script>", "</script>", "<!-- -->", "a<b", "&amp;"]


def test_json_script_holds_no_angle_bracket_and_reads_back() -> None:
    html = json_script("d", {"values": NASTY})
    body = html.removeprefix('<script type="application/json" id="d">').removesuffix("</script>")
    assert "<" not in body
    assert json.loads(body) == {"values": NASTY}


def test_a_report_of_markup_like_state_keeps_its_player(tmp_path: Path) -> None:
    mesa = pytest.importorskip("mesa")

    class Scribbler(mesa.Agent):
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.note = "<!--<script>"

        def step(self) -> None:
            self.note += "!"

    class Desk(mesa.Model):
        def __init__(self) -> None:
            super().__init__(seed=1)
            Scribbler.create_agents(self, 2)

        def step(self) -> None:
            self.agents.do("step")

    model = Desk()
    recorder = SimulationRecorder(model, output_dir=tmp_path)
    model.step()
    model.step()
    recorder.close()
    page = report_html(recorder.folder)
    [data] = re.findall(r'<script type="application/json" id="step-data">(.*?)</script>', page)
    assert "<" not in data
    steps = json.loads(data)
    assert ["1", "note <!--<script> -> <!--<script>!"] in steps[0]["states"]
