"""GeniusWeb JSON: a domain file and linear-additive profile files.

A **domain** is ``{"name": ..., "issuesValues": {issue: value set}}`` where a
value set is ``{"values": [...]}`` (strings, or numbers) or
``{"range": {"low": ..., "high": ..., "step": ...}}`` (numbers).

A **profile** is ``{"LinearAdditiveUtilitySpace": {...}}`` holding
``"issueUtilities"`` (per issue ``{"discreteutils": {"valueUtilities":
{value: utility}}}`` or ``{"numberutils": {"lowValue", "lowUtility",
"highValue", "highUtility"}}``, a line through two points), ``"issueWeights"``
(summing to one), ``"name"``, ``"domain"`` (the domain it was made for) and
optionally ``"reservationBid": {"issuevalues": {issue: value}}``. Utilities
lie in ``[0, 1]`` and are not rescaled. The reserved value is the utility of
the reservation bid, 0 without one. GeniusWeb has no discount factor.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from palaver.outcomes import (
    CategoricalIssue,
    DiscretizedIssue,
    IntegerIssue,
    InvalidIssueError,
    Issue,
    OutcomeSpace,
)
from palaver.preferences import LinearAdditiveUtilityFunction, UtilityFunction
from palaver.scenarios.canonical import IssuePart, LinearValue, canonical
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.files import read_json
from palaver.scenarios.genius import WEIGHT_TOLERANCE

PROFILE_KEY = "LinearAdditiveUtilitySpace"


def _obj(path: Path, where: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(f"{path}: {where} must be a JSON object, got {value!r}")
    return value


def _num(path: Path, where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ScenarioError(f"{path}: {where} must be a number, got {value!r}")
    try:
        x = float(value)
    except ValueError:
        raise ScenarioError(f"{path}: {where} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise ScenarioError(f"{path}: {where} must be finite, got {value!r}")
    return x


def _value_set(path: Path, name: str, spec: Any) -> Issue:
    where = f"issuesValues[{name!r}]"
    spec = _obj(path, where, spec)
    if "values" in spec:
        values = spec["values"]
        if not isinstance(values, list):
            raise ScenarioError(f"{path}: {where}.values must be a list, got {values!r}")
        if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            return DiscretizedIssue(sorted(float(v) for v in values), name)
        if not all(isinstance(v, str) for v in values):
            raise ScenarioError(
                f"{path}: {where}.values must be all strings or all numbers, got {values!r}"
            )
        return CategoricalIssue(values, name)
    if "range" in spec:
        rng = _obj(path, f"{where}.range", spec["range"])
        lo, hi, step = (
            _num(path, f"{where}.range.{k}", rng.get(k)) for k in ("low", "high", "step")
        )
        if step <= 0 or hi < lo:
            raise ScenarioError(f"{path}: {where}.range needs low <= high and step > 0")
        if lo == int(lo) and step == 1:
            return IntegerIssue(int(lo), math.floor(hi), name)
        n = math.floor((hi - lo) / step + 1e-9) + 1
        return DiscretizedIssue([lo + k * step for k in range(n)], name)
    raise ScenarioError(f"{path}: {where} has neither 'values' nor 'range'")


def parse_domain(path: Path, data: Any) -> tuple[OutcomeSpace, str]:
    """The outcome space and name of a GeniusWeb domain (already parsed JSON)."""
    data = _obj(path, "the domain", data)
    if "issuesValues" not in data:
        raise ScenarioError(f"{path}: a GeniusWeb domain needs 'issuesValues'")
    issues = _obj(path, "issuesValues", data["issuesValues"])
    if not issues:
        raise ScenarioError(f"{path}: issuesValues is empty")
    try:
        space = OutcomeSpace(_value_set(path, n, s) for n, s in issues.items())
    except InvalidIssueError as exc:
        raise ScenarioError(f"{path}: {exc}") from None
    return space, str(data.get("name", path.stem))


def read_domain(path: Path) -> tuple[OutcomeSpace, str]:
    """The outcome space and name of a GeniusWeb domain file."""
    return parse_domain(path, read_json(path))


def _key_lookup(issue: Issue, table: dict[str, Any]) -> dict[Any, str]:
    """Which JSON key holds each issue value (numbers are keys spelt as text)."""
    found: dict[Any, str] = {}
    for key in table:
        value = _bid_value(issue, key)
        if value is not None:
            found[value] = key
    return found


def read_profile(
    path: Path, space: OutcomeSpace, domain_name: str | None = None
) -> tuple[UtilityFunction, str]:
    """A GeniusWeb profile file as a utility function over ``space``, and its name."""
    data = _obj(path, "the profile", read_json(path))
    if PROFILE_KEY not in data:
        raise ScenarioError(
            f"{path}: not a GeniusWeb linear-additive profile (no {PROFILE_KEY!r} key; "
            f"found {sorted(data)})"
        )
    body = _obj(path, PROFILE_KEY, data[PROFILE_KEY])
    if "domain" in body:
        own, own_name = parse_domain(path, body["domain"])
        if own != space or (domain_name is not None and own_name != domain_name):
            differ = [
                f"{a.name!r}: {a!r} in the profile, {b!r} in the domain"
                for a, b in zip(own.issues, space.issues, strict=False)
                if a != b
            ][:3]
            raise ScenarioError(
                f"{path}: the profile is for domain {own_name!r} "
                f"({list(own.issue_names)}), not {domain_name!r} ({list(space.issue_names)})"
                + (f"; issues differ: {'; '.join(differ)}" if differ else "")
            )
    utils = _obj(path, "issueUtilities", body.get("issueUtilities"))
    weights = _obj(path, "issueWeights", body.get("issueWeights"))
    for key in (*utils, *weights):
        if key not in space.issue_names:
            raise ScenarioError(
                f"{path}: issue {key!r} is not in the domain {list(space.issue_names)}: "
                "is this a profile for another domain?"
            )
    values: dict[str, Any] = {}
    w: dict[str, float] = {}
    for issue in space.issues:
        name = str(issue.name)
        if name not in utils or name not in weights:
            raise ScenarioError(f"{path}: issue {name!r} has no utilities or no weight")
        w[name] = _num(path, f"issueWeights[{name!r}]", weights[name])
        if w[name] < 0:
            raise ScenarioError(f"{path}: issueWeights[{name!r}] is negative")
        values[name] = _issue_utilities(
            path, issue, _obj(path, f"issueUtilities[{name!r}]", utils[name])
        )
    total = sum(w.values())
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        raise ScenarioError(f"{path}: issueWeights sum to {total!r}, not 1")
    ufun = LinearAdditiveUtilityFunction(values, w, outcome_space=space)
    bid = body.get("reservationBid")
    if bid is not None:
        bid_values = _obj(
            path, "reservationBid.issuevalues", _obj(path, "reservationBid", bid).get("issuevalues")
        )
        unknown = sorted(str(k) for k in bid_values if k not in set(map(str, space.issue_names)))
        if unknown:
            raise ScenarioError(
                f"{path}: reservationBid names issues {unknown} the domain does not have: "
                "is this a profile for another domain?"
            )
        outcome = []
        for issue in space.issues:
            raw = bid_values.get(str(issue.name))
            value = _bid_value(issue, raw)
            if value is None:
                raise ScenarioError(
                    f"{path}: reservationBid: {raw!r} is not a value of issue {issue.name!r}"
                )
            outcome.append(value)
        ufun.reserved_value = ufun(tuple(outcome))
    return ufun, str(body.get("name", path.stem))


def _bid_value(issue: Issue, raw: Any) -> Any:
    """The issue value a bid's JSON value stands for, or ``None``."""
    if raw is None or isinstance(raw, bool):
        return None
    if raw in issue:
        return raw
    if issue.is_numeric and isinstance(raw, str | int | float):
        try:
            number = float(Decimal(str(raw)))
        except (InvalidOperation, ValueError):
            return None
        value = int(number) if isinstance(issue, IntegerIssue) and number == int(number) else number
        return value if value in issue else None
    return None


def _issue_utilities(path: Path, issue: Issue, spec: dict[str, Any]) -> Any:
    where = f"issueUtilities[{issue.name!r}]"
    if "discreteutils" in spec:
        holder = _obj(path, f"{where}.discreteutils", spec["discreteutils"])
        table = _obj(path, f"{where}.discreteutils.valueUtilities", holder.get("valueUtilities"))
        if issue.is_continuous:
            raise ScenarioError(f"{path}: {where}: discrete utilities for a numeric range")
        keys = _key_lookup(issue, table)
        unknown = [k for k in table if k not in keys.values()]
        if unknown:
            raise ScenarioError(
                f"{path}: {where}: value(s) {unknown} are not values of the domain: "
                "is this a profile for another domain?"
            )
        missing = [v for v in issue.values if v not in keys]
        if missing:
            raise ScenarioError(
                f"{path}: {where}: value(s) {missing} of the domain have no utility"
            )
        out = {v: _num(path, f"{where}[{keys[v]!r}]", table[keys[v]]) for v in issue.values}
        bad = [k for k, u in out.items() if not 0 <= u <= 1]
        if bad:
            raise ScenarioError(f"{path}: {where}: utilities of {bad} are outside [0, 1]")
        return out
    if "numberutils" in spec:
        nu = _obj(path, f"{where}.numberutils", spec["numberutils"])
        x0, u0, x1, u1 = (
            _num(path, f"{where}.numberutils.{k}", nu.get(k))
            for k in ("lowValue", "lowUtility", "highValue", "highUtility")
        )
        if x1 == x0:
            raise ScenarioError(f"{path}: {where}.numberutils: lowValue equals highValue")
        slope = (u1 - u0) / (x1 - x0)
        return LinearValue(slope, u0 - slope * x0)
    raise ScenarioError(f"{path}: {where} has neither 'discreteutils' nor 'numberutils'")


def _jsonable(v: Any) -> Any:
    return v if isinstance(v, str | int | float) and not isinstance(v, bool) else str(v)


def domain_json(space: OutcomeSpace, name: str) -> dict[str, Any]:
    """The GeniusWeb domain of ``space`` (integer ranges as ranges of step 1)."""
    issues: dict[str, Any] = {}
    for issue in space.issues:
        if isinstance(issue, IntegerIssue):
            issues[str(issue.name)] = {
                "range": {"low": issue.min_value, "high": issue.max_value, "step": 1}
            }
        elif issue.is_continuous:
            raise ScenarioError(
                f"issue {issue.name!r} is continuous; GeniusWeb has no continuous issues: "
                "discretise the scenario first"
            )
        else:
            issues[str(issue.name)] = {"values": [_jsonable(v) for v in issue.values]}
    return {"name": name, "issuesValues": issues}


def profile_json(
    ufun: UtilityFunction, space: OutcomeSpace, name: str, domain_name: str
) -> dict[str, Any]:
    """The GeniusWeb profile of ``ufun`` (rescaled as :func:`canonical` explains).

    GeniusWeb has no reserved value, only a reservation bid: the worst outcome
    still at least as good as the reserved value is written, whose utility is
    the reserved value read back (exactly when an outcome has that utility).
    """
    profile = canonical(ufun, space, f"ufun {name!r}", divide_by_max=False)
    utils: dict[str, Any] = {}
    weights: dict[str, float] = {}
    for part in profile.parts:
        key = str(part.issue.name)
        weights[key] = part.weight
        if part.table is not None and not isinstance(part.issue, IntegerIssue):
            utils[key] = {
                "discreteutils": {"valueUtilities": {str(v): u for v, u in part.table.items()}}
            }
        else:
            utils[key] = {"numberutils": _number_utilities(part.issue, part, name)}
    body: dict[str, Any] = {
        "domain": domain_json(space, domain_name),
        "issueUtilities": utils,
        "issueWeights": weights,
        "name": name,
    }
    bid = _reservation_bid(ufun, space, profile.reserved_value, profile.shift, profile.scale)
    if bid is not None:
        body["reservationBid"] = {
            "issuevalues": dict(zip(space.issue_names, map(_jsonable, bid), strict=True))
        }
    return {PROFILE_KEY: body}


def _number_utilities(issue: Issue, part: IssuePart, name: str) -> dict[str, float]:
    """GeniusWeb's number utilities of a numeric issue: a line through its low and
    high values, which must differ. An integer issue valued by a table is written
    so when the table lies on a line; any other is refused (a GeniusWeb range takes
    no table, and a table of text values would read back as another issue)."""
    lo, hi = issue.numeric_bounds()
    if lo == hi:
        raise ScenarioError(
            f"ufun {name!r}: issue {issue.name!r} has a single value ({lo!r}); GeniusWeb "
            "values a number range by a line through its low and high values, which must "
            "differ: widen the issue or make it categorical"
        )
    if part.linear is not None:
        u_lo, u_hi = part.linear(lo), part.linear(hi)
    else:
        assert part.table is not None
        u_lo, u_hi = part.table[int(lo)], part.table[int(hi)]
        slope = (u_hi - u_lo) / (hi - lo)
        off = [v for v, u in part.table.items() if abs(u - (u_lo + slope * (v - lo))) > 1e-12]
        if off:
            raise ScenarioError(
                f"ufun {name!r}: integer issue {issue.name!r} is valued by a table that is not "
                f"a line (value {off[0]!r} is off the line through {lo!r} and {hi!r}); a "
                "GeniusWeb number range is valued only by a line (numberutils): make the "
                "issue categorical, or write Genius XML or Palaver JSON instead"
            )
    return {"lowValue": lo, "lowUtility": u_lo, "highValue": hi, "highUtility": u_hi}


def _reservation_bid(
    ufun: UtilityFunction, space: OutcomeSpace, reserved: float, shift: float, scale: float
) -> tuple[Any, ...] | None:
    if not math.isfinite(reserved) or reserved <= 0:
        return None
    if space.cardinality > 1_000_000:
        raise ScenarioError(
            f"cannot choose a reservation bid among {space.cardinality} outcomes; "
            "GeniusWeb stores the reserved value as a bid"
        )
    outcomes = space.enumerate()
    utils = (ufun.eval_many(outcomes) - shift) / scale
    ok = [i for i, u in enumerate(utils.tolist()) if u >= reserved - 1e-12]
    if not ok:
        return outcomes[int(utils.argmax())]
    best = min(ok, key=lambda i: utils[i])
    return tuple(outcomes[best])


def find_files(folder: Path) -> tuple[Path | None, list[Path]]:
    """The GeniusWeb domain file and profile files among a folder's ``.json`` files."""
    domain: Path | None = None
    profiles: list[Path] = []
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith((".", "_")):
            continue
        data = read_json(path)
        if isinstance(data, dict) and PROFILE_KEY in data:
            profiles.append(path)
        elif isinstance(data, dict) and "issuesValues" in data:
            if domain is not None:
                raise ScenarioError(
                    f"{folder}: two GeniusWeb domain files: {domain.name}, {path.name}"
                )
            domain = path
    return domain, profiles
