"""What NegMAS's ``cartesian_tournament`` prepares before Palaver's runs:
the folder (``path_exists``), copies of the scenarios as NegMAS plays them,
and what the callbacks' configuration knows before the run."""

from __future__ import annotations

import copy
import secrets
import shutil
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from palaver.negotiators.aliases import negmas_name
from palaver.tournaments.negotiation.competitors import as_competitors, type_name
from palaver.tournaments.negotiation.folder import SETUP

__all__ = [
    "check_and_correct_reserved_values",
    "check_distinct",
    "check_reveals_type",
    "early_setup",
    "folder_metrics",
    "folder_seed",
    "has_pandas",
    "prepare_folder",
    "prepared_scenarios",
    "save_scenarios",
    "settle",
]


def prepare_folder(root: Path, path_exists: str) -> Path | None:
    """NegMAS's ``path_exists``: ``continue`` resumes (Palaver's own rule),
    ``fail`` refuses a folder with anything in it, ``overwrite`` moves a
    tournament folder (never a folder that is not one) aside, to a hidden
    sibling it returns, for :func:`settle`."""
    if not root.is_dir() or not any(root.iterdir()):
        return None
    if path_exists == "fail":
        raise FileExistsError(f"path {root} exists and is not empty (path_exists='fail')")
    if path_exists == "overwrite":
        if not (root / SETUP).is_file():
            raise ValueError(
                f"path_exists='overwrite' would delete {root}, which is not a tournament "
                f"folder (no {SETUP}); give an empty or new path"
            )
        aside = root.with_name(f".{root.name}.overwritten-{secrets.token_hex(4)}")
        root.rename(aside)
        return aside
    return None


def settle(root: Path, aside: Path) -> None:
    """After the new tournament ran, or was refused: the old folder moved aside
    by ``overwrite`` is deleted once the new one was started in ``root``, and
    put back when the call was refused before that (a typo must not cost the
    results it was to replace)."""
    if (root / SETUP).is_file():
        shutil.rmtree(aside)
        return
    if root.is_dir() and not any(root.iterdir()):
        root.rmdir()
    if not root.exists():
        aside.rename(root)


def prepared_scenarios(
    scenarios: Sequence[Any], ignore_discount: bool, ignore_reserved: bool, normalize: bool
) -> list[Any]:
    """Copies of the scenarios as NegMAS plays them: without discounting, each
    utility function normalized to [0, 1] unless already, without reserved
    values, as asked (the caller's scenarios are left as they are)."""
    from palaver.scenarios import Scenario

    out = []
    for s in scenarios:
        if not isinstance(s, Scenario):
            out.append(s)  # refused by the tournament's own check, naming it
            continue
        s = copy.deepcopy(s)
        if ignore_discount:
            s = s.remove_discounting()
        if normalize and not s.is_normalized(common_range=False):
            s = s.normalize(guarantee_max=True, guarantee_min=True, common_range=False)
        if ignore_reserved:
            s = s.remove_reserved_values()
        out.append(s)
    return out


def early_setup(
    competitors: Sequence[Any],
    params: Any,
    names: Any,
    scenarios: Sequence[Any],
    n_repetitions: Any,
) -> dict[str, Any]:
    """What the callbacks' configuration knows before the tournament's own
    checks: competitor names and types as the tournament will derive them
    (empty when they are not valid: the tournament refuses them, naming why)."""
    try:
        comps = as_competitors(competitors, params, names)
    except (TypeError, ValueError):
        comps = []
    return {
        "competitors": [c.name for c in comps],
        "competitor_types": [type_name(c.type) for c in comps],
        "scenarios": [getattr(s, "name", "") for s in scenarios],
        "n_repetitions": n_repetitions,
    }


def has_pandas() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def folder_seed(root: Path) -> int | None:
    """The seed of the tournament in ``root`` (``None`` without one).

    NegMAS's ``path_exists="continue"`` resumes a folder when the call is
    repeated, and NegMAS code gives no seed; Palaver draws a seed when none is
    given, so a repeated call would hold "another tournament". Without a seed,
    the folder's own is used: the call then resumes (or returns) the
    tournament it holds when every other argument is the same."""
    from palaver.tournaments.negotiation.folder import read_setup

    if not (root / SETUP).is_file():
        return None
    seed = read_setup(root).get("seed")
    return seed if isinstance(seed, int) and not isinstance(seed, bool) else None


def folder_metrics(root: Path) -> bool | None:
    """Whether the tournament in ``root`` records the negotiation metrics
    (``None`` without one): a folder whose setup does not say so was
    written without them."""
    from palaver.tournaments.negotiation.folder import read_setup

    if not (root / SETUP).is_file():
        return None
    return bool(read_setup(root).get("negotiation_metrics", False))


def check_reveals_type(id_reveals_type: Any, name_reveals_type: Any) -> None:
    """NegMAS names each negotiator (id and name alike) ``<competitor>@<position>``
    when either flag is set, as Palaver always does, and gives both a random
    name only when both are ``False``: that case is refused (``ValueError``)."""
    for name, value in (("id_reveals_type", id_reveals_type),
                        ("name_reveals_type", name_reveals_type)):  # fmt: skip
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be True or False, got {value!r:.80}")
    if not (id_reveals_type or name_reveals_type):
        raise ValueError(
            "cartesian_tournament: id_reveals_type=False with name_reveals_type=False is not "
            "supported (negotiator ids and names are always '<competitor>@<position>', which "
            "NegMAS uses when either flag is True); set either to True"
        )


def negmas_labels(entries: Any, params: Any) -> list[str] | None:
    """NegMAS's labels of competitors (or opponents) given as classes, when
    Palaver's would differ: the names NegMAS gives its strategies
    (:func:`~palaver.negotiators.aliases.negmas_name`: ``MiCRONegotiator``,
    not ``MiCRO``), so code selecting rows by them finds them. ``None`` (the
    tournament's own labels) when an entry is not a class, or when two
    entries are of one class (told apart by their parameters)."""
    if not isinstance(entries, Sequence) or isinstance(entries, str | bytes):
        return None
    if not all(isinstance(e, type) for e in entries) or (params is not None and any(params)):
        return None
    labels = [negmas_name(e) for e in entries]
    if len(set(labels)) != len(labels) or all(
        label == e.__name__ for label, e in zip(labels, entries, strict=True)
    ):
        return None
    return labels


def check_distinct(competitors: Any, params: Any, names: Any) -> None:
    """Refuse, as NegMAS does, two competitors of the same type with the same
    parameters and no names to tell them apart (``ValueError``): their names
    would be the same (Palaver's own function numbers them)."""
    if names is not None or not isinstance(competitors, Sequence):
        return
    given = list(params) if isinstance(params, Sequence) else [None] * len(competitors)
    if len(given) != len(competitors):
        return  # refused by the tournament's own check, naming the lengths
    seen: dict[str, int] = {}
    for i, (c, p) in enumerate(zip(competitors, given, strict=True)):
        key = f"{type_name(c)} {p or {}!r}"
        if key in seen:
            raise ValueError(
                f"competitor names must be unique: competitors {seen[key]} and {i} are both "
                f"{type_name(c)} with parameters {p or {}!r}; give competitor_names or "
                "different parameters"
            )
        seen[key] = i


def save_scenarios(
    root: Path, scenarios: Sequence[Any], save_stats: bool, include_pareto_frontier: bool
) -> None:
    """Write each scenario as played (normalized, without reserved values or
    discounting as asked) in ``root/scenarios/<name>`` (Palaver's JSON; with
    its statistics when ``save_stats``), as NegMAS keeps them in its folder."""
    for s in scenarios:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in s.name)
        s.dumpas(
            root / "scenarios" / safe.lstrip("._"),
            save_stats=bool(save_stats),
            include_pareto_frontier=include_pareto_frontier,
        )


def check_and_correct_reserved_values(scenario: Any, scenario_name: str, eps: float = 0.0) -> None:
    """NegMAS's ``_check_and_correct_reserved_values``: set every reserved value
    of ``scenario``'s utility functions that is ``None``, infinite or NaN to
    the function's lowest utility minus ``eps`` (in place), and say so in one
    ``NegmasUnexpectedValueWarning`` naming the scenario and each change.
    (The NegMAS ``cartesian_tournament`` here calls it on its copies of the
    scenarios only with a ``reserved_value_eps`` other than 0: with 0,
    Palaver's metrics already measure such a party from its lowest utility.)"""
    from palaver._util.warning_types import NegmasUnexpectedValueWarning
    from palaver.preferences.normalization import correct_reserved_value

    changed = []
    for i, ufun in enumerate(scenario.ufuns):
        old = getattr(ufun, "reserved_value", None)
        new, corrected = correct_reserved_value(old, ufun, eps=eps, warn=False)
        if corrected:
            ufun.reserved_value = new
            changed.append(f"ufun[{i}] {ufun.name!r} (was {old}, now {new})")
    if changed:
        warnings.warn(
            f"scenario {scenario_name!r}: reserved values that were not finite were "
            f"corrected to the lowest utility minus {eps}: {', '.join(changed)}",
            NegmasUnexpectedValueWarning,
            stacklevel=2,
        )
