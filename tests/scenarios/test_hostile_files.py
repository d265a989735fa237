"""Damaged and malicious scenario files: every one is a ScenarioError naming the file, never a hang.

FIFOs, folders and dangling or looping symbolic links where files are expected,
huge files, entity expansion, external entities, deep nesting, bad encodings,
and targets that cannot be written.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scenario_files import GENIUS_ALICE, GENIUS_DOMAIN, GW_ALICE, write_genius, write_geniusweb

from palaver.scenarios import Scenario, ScenarioError
from palaver.scenarios import files as scenario_files

Within = Callable[[float, Callable[[], Any]], "BaseException | None"]
"""The ``within`` fixture (tests/conftest.py)."""

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


@posix_only
def test_a_fifo_in_a_scenario_folder_is_refused_without_blocking(
    tmp_path: Path, within: Within
) -> None:
    folder = write_genius(tmp_path / "s")
    os.mkfifo(folder / "zz.xml")
    error = within(10, lambda: Scenario.from_genius_folder(folder))
    assert isinstance(error, ScenarioError)
    assert "zz.xml" in str(error) and "FIFO" in str(error)


@posix_only
def test_a_fifo_given_as_a_file_is_refused_without_blocking(tmp_path: Path, within: Within) -> None:
    fifo = tmp_path / "domain.xml"
    os.mkfifo(fifo)
    for call in (
        lambda: Scenario.from_genius_files(fifo, [fifo]),
        lambda: Scenario.from_json(fifo),
        lambda: Scenario.load(fifo),
        lambda: Scenario.from_geniusweb_files(fifo, [fifo]),
    ):
        error = within(10, call)
        assert isinstance(error, ScenarioError), error
        assert str(fifo) in str(error)


@posix_only
def test_a_fifo_named_like_the_metadata_file_is_refused(tmp_path: Path, within: Within) -> None:
    folder = write_genius(tmp_path / "s")
    os.mkfifo(folder / "_scenario.json")
    error = within(10, lambda: Scenario.from_genius_folder(folder))
    assert isinstance(error, ScenarioError) and "_scenario.json" in str(error)


def test_folders_and_links_where_files_are_expected(tmp_path: Path) -> None:
    folder = write_genius(tmp_path / "s")
    (folder / "extra.xml").mkdir()
    with pytest.raises(ScenarioError, match=r"extra\.xml.? is a folder"):
        Scenario.from_genius_folder(folder)
    with pytest.raises(ScenarioError, match="is a folder"):
        Scenario.from_json(tmp_path)

    dangling = write_genius(tmp_path / "d")
    (dangling / "gone.xml").symlink_to(tmp_path / "nowhere.xml")
    with pytest.raises(ScenarioError, match=r"gone\.xml: cannot read"):
        Scenario.from_genius_folder(dangling)

    looping = tmp_path / "loop"
    looping.mkdir()
    (looping / "a.xml").symlink_to(looping / "b.xml")
    (looping / "b.xml").symlink_to(looping / "a.xml")
    with pytest.raises(ScenarioError, match=r"a\.xml: cannot read"):
        Scenario.from_genius_folder(looping)

    # A link to a good file is followed.
    good = write_genius(tmp_path / "good")
    linked = tmp_path / "linked"
    linked.mkdir()
    for name in ("holiday-domain.xml", "holiday-alice.xml", "holiday-bob.xml"):
        (linked / name).symlink_to(good / name)
    assert Scenario.from_genius_folder(linked).n_negotiators == 2


def test_a_huge_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_genius(tmp_path / "s")
    big = folder / "big.xml"
    with open(big, "wb") as f:  # sparse: takes no disk space
        f.seek(scenario_files.MAX_FILE_BYTES + 10)
        f.write(b"x")
    with pytest.raises(ScenarioError, match=r"big\.xml: \d+ bytes, larger than"):
        Scenario.from_genius_folder(folder)
    monkeypatch.setattr(scenario_files, "MAX_FILE_BYTES", 100)
    with pytest.raises(ScenarioError, match="larger than the 100 bytes"):
        scenario_files.read_bytes(folder / "big.xml", limit=100)


def test_entity_expansion_and_external_entities_are_refused(tmp_path: Path) -> None:
    levels = ['<!ENTITY e0 "lol">'] + [
        f'<!ENTITY e{i} "{("&e" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    laughs = f'<?xml version="1.0"?><!DOCTYPE n [{"".join(levels)}]>'
    bomb = laughs + GENIUS_DOMAIN.split("?>", 1)[1].replace('value="beach"', 'value="&e9;"')
    folder = write_genius(tmp_path / "bomb")
    domain = folder / "holiday-domain.xml"
    domain.write_text(bomb)
    with pytest.raises(ScenarioError, match="malformed XML"):
        Scenario.from_genius_folder(folder)

    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE n [<!ENTITY x SYSTEM "file://{secret}">]>'
        + GENIUS_DOMAIN.split("?>", 1)[1].replace('value="beach"', 'value="&x;"')
    )
    domain.write_text(xxe)
    with pytest.raises(ScenarioError, match="malformed XML") as info:
        Scenario.from_genius_folder(folder)
    assert "top secret" not in str(info.value)


def test_deep_nesting_and_bad_encodings(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(ScenarioError, match=r"deep\.json: malformed JSON: nested too deeply"):
        Scenario.from_json(deep)
    with pytest.raises(ScenarioError, match="nested too deeply"):
        Scenario.load(deep)

    nan = tmp_path / "nan.json"
    nan.write_text('{"format": "palaver.scenario", "version": 1, "x": NaN}')
    with pytest.raises(ScenarioError, match=r"nan\.json: malformed JSON: NaN"):
        Scenario.from_json(nan)

    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(ScenarioError, match=r"latin\.json: malformed JSON"):
        Scenario.from_json(latin)

    folder = write_genius(tmp_path / "enc")
    (folder / "holiday-alice.xml").write_bytes(
        GENIUS_ALICE.replace('encoding="UTF-8"', 'encoding="no-such-codec"').encode()
    )
    with pytest.raises(ScenarioError, match="malformed XML"):
        Scenario.from_genius_folder(folder)

    # A declared encoding other than UTF-8 is honoured.
    utf16 = write_genius(tmp_path / "utf16")
    for p in utf16.glob("*.xml"):
        p.write_bytes(
            p.read_text().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
        )
    plain = Scenario.from_genius_folder(write_genius(tmp_path / "plain"))
    outcome = ("city", 3, 200.0)
    assert Scenario.from_genius_folder(utf16).ufuns[0](outcome) == plain.ufuns[0](outcome)


def test_writing_over_something_that_is_not_a_file_is_refused(tmp_path: Path) -> None:
    scenario = Scenario.from_genius_folder(write_genius(tmp_path / "s"))
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(ScenarioError, match=r"file\.txt: exists and is not a folder"):
        scenario.to_genius_folder(a_file)
    with pytest.raises(ScenarioError, match="exists and is not a folder"):
        scenario.discretize(3).dumpas(a_file, type="geniusweb")
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(ScenarioError, match=r"dir\.json: is a folder, cannot write"):
        scenario.to_json(tmp_path / "dir.json")
    with pytest.raises(ScenarioError, match="type must be one of"):
        scenario.dumpas(tmp_path / "out", type=3)  # type: ignore[arg-type]


def test_infinite_numbers_in_genius_files_are_refused(tmp_path: Path) -> None:
    for bad in ('evaluation="inf"', 'evaluation="1e400"'):
        folder = write_genius(
            tmp_path / bad[12:15], alice=GENIUS_ALICE.replace('evaluation="8"', bad)
        )
        with pytest.raises(ScenarioError, match=r"holiday-alice\.xml: .* is not a finite number"):
            Scenario.from_genius_folder(folder)
    folder = write_genius(tmp_path / "bound")
    (folder / "holiday-domain.xml").write_text(
        GENIUS_DOMAIN.replace('upperbound="5"', 'upperbound="inf"')
    )
    with pytest.raises(ScenarioError, match=r"holiday-domain\.xml: .*upperbound='inf'"):
        Scenario.from_genius_folder(folder)


@pytest.mark.parametrize("value", ["Infinity", "inf", "1e400"])
def test_a_reservation_of_plus_infinity_is_refused(tmp_path: Path, value: str) -> None:
    alice = GENIUS_ALICE.replace('<reservation value="0.25"/>', f'<reservation value="{value}"/>')
    folder = write_genius(tmp_path, alice=alice)
    with pytest.raises(ScenarioError, match=r"holiday-alice\.xml: <reservation>: .*\+Infinity"):
        Scenario.from_genius_folder(folder)
    low = GENIUS_ALICE.replace('<reservation value="0.25"/>', '<reservation value="-Infinity"/>')
    assert Scenario.from_genius_folder(write_genius(tmp_path / "low", alice=low)).reserved_values[
        0
    ] == float("-inf")


def test_a_reserved_value_of_inf_in_palaver_json_is_refused(tmp_path: Path) -> None:
    folder = write_genius(tmp_path / "g")
    path = tmp_path / "s.json"
    Scenario.from_genius_folder(folder).to_json(path)
    data = json.loads(path.read_text())
    data["ufuns"][1]["reserved_value"] = "inf"
    path.write_text(json.dumps(data))
    with pytest.raises(ScenarioError, match=r"s\.json: ufuns\[1\]\.reserved_value: .*'inf'"):
        Scenario.load(path)
    data["ufuns"][1]["reserved_value"] = "-inf"
    path.write_text(json.dumps(data))
    assert Scenario.load(path).reserved_values[1] == float("-inf")
    high = Scenario.load(path).with_reserved_values([0.0, float("inf")])
    with pytest.raises(ScenarioError, match=r"\+inf cannot be written"):
        high.to_json(tmp_path / "high.json")


def test_a_folder_yielding_one_profile_is_refused_naming_the_other_files(tmp_path: Path) -> None:
    folder = write_genius(tmp_path / "g")
    (folder / "holiday-bob.xml").write_text("<something_else/>")
    with pytest.raises(ScenarioError, match=r"only one profile file \(holiday-alice\.xml\)") as e:
        Scenario.from_genius_folder(folder)
    assert "['holiday-bob.xml']" in str(e.value)
    web = write_geniusweb(tmp_path / "w")
    (web / "bob.json").write_text("[1]")
    with pytest.raises(ScenarioError, match=r"only one profile file \(alice\.json\)"):
        Scenario.from_geniusweb_folder(web)


def test_a_reservation_bid_naming_an_unknown_issue_is_refused(tmp_path: Path) -> None:
    alice = copy.deepcopy(GW_ALICE)
    alice["LinearAdditiveUtilitySpace"]["reservationBid"]["issuevalues"]["colour"] = "red"
    web = write_geniusweb(tmp_path / "w", alice=alice)
    with pytest.raises(
        ScenarioError, match=r"alice\.json: reservationBid names issues \['colour'\]"
    ):
        Scenario.from_geniusweb_folder(web)


def test_a_profile_for_a_domain_of_the_same_name_says_which_issue_differs(tmp_path: Path) -> None:
    web = write_geniusweb(tmp_path / "w")
    domain = json.loads((web / "holiday.json").read_text())
    domain["issuesValues"]["days"] = {"range": {"low": 1, "high": 9, "step": 1}}
    (web / "holiday.json").write_text(json.dumps(domain))
    with pytest.raises(ScenarioError, match=r"issues differ: 'days': ContiguousIssue\(\(1, 5\)"):
        Scenario.from_geniusweb_folder(web)
