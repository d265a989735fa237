"""The report's first sentence counts add up to the total it states
(docs/looking-at-results.md: "in one sentence whose counts add up")."""

from __future__ import annotations

import re
from pathlib import Path

from palaver.report import report_html


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _counts(path: Path) -> tuple[int, list[int], str]:
    page = report_html(path)
    found = re.search(r'<p id="holdings">(.*?)</p>', page)
    assert found is not None
    sentence = found.group(1)
    head, listed = sentence.split(":", 1)
    listed = listed.split(".")[0]
    total = _number(re.findall(r"holds (\d[\d,]*) events", head)[0])
    numbers = [_number(n) for n in re.findall(r"\b[a-z_]+ (\d[\d,]*)(?=,| and|$)", listed)]
    numbers += [_number(n) for n in re.findall(r"\((\d[\d,]*) events\)", listed)]
    numbers += [_number(n) for n in re.findall(r"(\d[\d,]*) marking", listed)]
    return total, numbers, sentence


def test_a_mesa_recordings_sentence_adds_up(mesa_recording: Path) -> None:
    total, numbers, sentence = _counts(mesa_recording)
    assert total == sum(numbers), sentence
    assert "and 1 marking the run&#x27;s start, steps and end" in sentence


def test_a_world_recordings_sentence_adds_up(demo_recording: Path) -> None:
    total, numbers, sentence = _counts(demo_recording)
    assert total == sum(numbers), sentence
    assert "other type(s) (" in sentence
