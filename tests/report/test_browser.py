"""The demo's report, opened in a real browser (headless Chromium over the DevTools pipe).

Skipped, with the reason in the test summary, where Chromium is not installed
(``.ci/run`` installs Debian's ``chromium`` so that CI always runs it). The
screenshot is kept as a test artefact in ``build/test-artifacts/`` (or
``$PALAVER_TEST_ARTIFACTS``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cdp import Browser, find_chromium  # this folder is on sys.path (pytest's rootdir mode)

from palaver.report import write_report

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="BROWSER TEST SKIPPED: Chromium is not installed (apt-get install chromium; "
    ".ci/run installs it), so the HTML report was not checked in a browser",
)


def artefacts() -> Path:
    folder = Path(os.environ.get("PALAVER_TEST_ARTIFACTS", ROOT / "build" / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    assert CHROMIUM is not None
    chromium = Browser(CHROMIUM, tmp_path / "profile")  # a fresh profile every time
    try:
        chromium.open_page()
        yield chromium
    finally:
        chromium.close()


PLOTS = """Array.from(document.querySelectorAll('figure.plot')).map(f => {
  const img = f.querySelector('img');
  return {title: f.dataset.plot, complete: img.complete, width: img.naturalWidth,
          height: img.naturalHeight};
})"""

# Draw each image on a canvas and count the pixels that are not white: a plot
# that decoded but drew nothing has almost none.
INK = """Promise.all(Array.from(document.querySelectorAll('figure.plot img')).map(img => {
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) { if (d[i] + d[i+1] + d[i+2] < 720) ink++; }
  return ink / (c.width * c.height);
}))"""

SET_STEP = """(() => {
  const s = document.getElementById('step-slider');
  s.value = '%d'; s.dispatchEvent(new Event('input', {bubbles: true}));
  const v = document.getElementById('step-view');
  return {step: v.dataset.step, label: document.getElementById('step-label').textContent,
          text: v.textContent};
})()"""


def test_the_demo_report_in_chromium(
    browser: Browser, demo_recording: Path, tmp_path: Path
) -> None:
    page = write_report(demo_recording, tmp_path / "report.html")
    browser.navigate(page.resolve().as_uri())
    assert browser.evaluate("document.readyState") == "complete"
    assert browser.evaluate("document.title").startswith("Recording ")

    plots = browser.evaluate(PLOTS)
    titles = {p["title"] for p in plots}
    assert {
        "Negotiations per step",
        "Contracts per step",
        "Agents over time",
        "Breaches by agent",
        "Contract graph",
        "Events per step",
    } <= titles
    for plot in plots:
        assert plot["complete"] and plot["width"] > 200 and plot["height"] > 150, plot
    ink = browser.evaluate(INK)
    assert len(ink) == len(plots) and min(ink) > 0.02, list(zip(titles, ink, strict=False))
    assert browser.evaluate("document.querySelectorAll('#agents tbody tr').length") == 10

    first = browser.evaluate(SET_STEP % 0)
    assert first["step"] == "0" and first["label"] == "step 0 of 19"
    later = browser.evaluate(SET_STEP % 5)
    assert later["step"] == "5" and later["label"] == "step 5 of 19"
    assert later["text"] != first["text"] and "Negotiations ended" in later["text"]
    last = browser.evaluate(SET_STEP % 19)
    assert last["step"] == "19" and "contracts unexecuted: 28" in last["text"]

    browser.evaluate("window.scrollTo(0, 0)")
    shot = artefacts() / "report-demo.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 50_000
    assert browser.errors() == []


def test_console_errors_are_caught(browser: Browser, tmp_path: Path) -> None:
    """The check above would see an error: a page that throws is reported."""
    page = tmp_path / "broken.html"
    page.write_text("<html><body><script>undefinedFunction();</script></body></html>")
    browser.navigate(page.as_uri())
    browser.evaluate("console.error('visible')")
    errors = browser.errors()
    assert any("undefinedFunction" in e for e in errors) and any("visible" in e for e in errors)


def test_the_negotiation_tournament_report_in_chromium(
    browser: Browser, negotiation_league: Path, tmp_path: Path
) -> None:
    page = write_report(negotiation_league, tmp_path / "league.html")
    browser.navigate(page.resolve().as_uri())
    assert browser.evaluate("document.title").startswith("Negotiation tournament")
    plots = browser.evaluate(PLOTS)
    titles = [p["title"] for p in plots]
    assert {
        "Advantage per competitor",
        "Welfare per competitor",
        "Distance to Pareto per competitor",
        "Advantage distribution",
        "Win matrix",
    } <= set(titles)
    for plot in plots:
        assert plot["complete"] and plot["width"] > 200 and plot["height"] > 150, plot
    ink = browser.evaluate(INK)
    assert min(ink) > 0.02, list(zip(titles, ink, strict=True))
    assert browser.evaluate("document.querySelectorAll('#ranking tbody tr').length") == 4
    browser.screenshot(artefacts() / "report-negotiation-tournament.png")
    assert browser.errors() == []


def test_a_mesa_recording_report_in_chromium(
    browser: Browser, mesa_recording: Path, tmp_path: Path
) -> None:
    page = write_report(mesa_recording, tmp_path / "mesa.html")
    browser.navigate(page.resolve().as_uri())
    titles = {p["title"] for p in browser.evaluate(PLOTS)}
    assert titles == {"Agents over time", "Events per step", "Events by type", "Events per agent"}
    assert min(browser.evaluate(INK)) > 0.02
    assert "no negotiations" in browser.evaluate("document.getElementById('holdings').textContent")
    shown = browser.evaluate(SET_STEP % 2)
    assert shown["text"].startswith("events: observation 5, state_change 5, message 1")
    assert "State changes (5)" in shown["text"] and "Negotiations ended" not in shown["text"]
    browser.screenshot(artefacts() / "report-mesa.png")
    assert browser.errors() == []
