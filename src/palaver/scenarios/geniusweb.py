"""GeniusWeb JSON: a domain file and linear-additive profile files.

A **domain** is ``{"name": ..., "issuesValues": {issue: value set}}`` where a
value set is ``{"values": [...]}`` (GeniusWeb's discrete values: strings) or
``{"range": {"low": ..., "high": ..., "step": ...}}`` (GeniusWeb's number
values: ``low + k * step`` for every ``k >= 0`` that stays at most ``high``,
in decimal arithmetic, as GeniusWeb reads JSON numbers as decimals). A range
of step 1 from an integer is an integer issue, any other range a discretized
issue of its values. A ``"values"`` list of numbers, which GeniusWeb does not
read (its discrete values are strings), is read as a discretized issue.

A **profile** is ``{"LinearAdditiveUtilitySpace": {...}}`` holding
``"issueUtilities"`` (per issue ``{"discreteutils": {"valueUtilities":
{value: utility}}}`` or ``{"numberutils": {"lowValue", "lowUtility",
"highValue", "highUtility"}}``, a line through two points; GeniusWeb fits
discrete utilities only to a value list, number utilities only to a range whose
``low`` and ``high`` are their ``lowValue`` and ``highValue``), ``"issueWeights"``
(summing to one), ``"name"``, ``"domain"`` (the domain it was made for) and
optionally ``"reservationBid": {"issuevalues": {issue: value}}``. Utilities
lie in ``[0, 1]`` and are not rescaled. The reserved value is the utility of
the reservation bid, 0 without one. GeniusWeb has no discount factor.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, Context, Decimal, InvalidOperation, localcontext
from pathlib import Path
from typing import Any

from palaver.outcomes import (
    CategoricalIssue,
    ContiguousIssue,
    ContinuousIssue,
    DiscreteCardinalIssue,
    DiscretizedIssue,
    IntegerIssue,
    InvalidIssueError,
    Issue,
    OutcomeSpace,
)
from palaver.preferences import LinearAdditiveUtilityFunction, UtilityFunction
from palaver.scenarios.canonical import (
    MAX_TABLE_VALUES,
    CanonicalProfile,
    IssuePart,
    LinearValue,
    canonical,
)
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.files import read_json
from palaver.scenarios.genius import WEIGHT_TOLERANCE

PROFILE_KEY = "LinearAdditiveUtilitySpace"
#: The most values a number range that is not an integer range is read with
#: (its values are listed; an integer range is not): as many as a profile of
#: it can be written with again.
MAX_RANGE_VALUES = MAX_TABLE_VALUES
# How far (as a share of the step) a discretized issue's values may lie from
# the GeniusWeb range written for them: float noise, as np.linspace leaves.
_GRID_TOLERANCE = 1e-9


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
    except OverflowError:
        # An integer literal past the float range (JSON has no limit on digits).
        raise ScenarioError(
            f"{path}: {where} must be a finite number, got an integer of "
            f"{len(str(abs(value)))} digits"
        ) from None
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
            return DiscretizedIssue(
                sorted(_num(path, f"{where}.values[{i}]", v) for i, v in enumerate(values)), name
            )
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
            return ContiguousIssue((int(lo), math.floor(hi)), name)  # NegMAS's kind
        n = range_size(lo, hi, step)
        if n > MAX_RANGE_VALUES:
            raise ScenarioError(
                f"{path}: {where}.range has {n:,} values (low {lo!r}, high {hi!r}, step "
                f"{step!r}), more than the {MAX_RANGE_VALUES:,} a range that is not of "
                "integers may have"
            )
        return DiscretizedIssue(range_values(lo, step, n), name)
    raise ScenarioError(f"{path}: {where} has neither 'values' nor 'range'")


def _decimal(x: float) -> Decimal:
    """The decimal a float is written as in JSON (its shortest repr)."""
    return Decimal(repr(float(x)))


def range_size(lo: float, hi: float, step: float) -> int:
    """How many values GeniusWeb's range ``low``, ``high``, ``step`` holds: decimal
    arithmetic on the numbers as written, so ``0.1`` steps are exact."""
    return int((_decimal(hi) - _decimal(lo)) / _decimal(step)) + 1


def range_values(lo: float, step: float, n: int) -> list[float]:
    """The first ``n`` values ``low + k * step`` of a GeniusWeb range, in decimal arithmetic."""
    d_lo, d_step = _decimal(lo), _decimal(step)
    return [float(d_lo + k * d_step) for k in range(n)]


def parse_domain(path: Path, data: Any) -> tuple[OutcomeSpace, str]:
    """The outcome space and name of a GeniusWeb domain (already parsed JSON)."""
    data = _obj(path, "the domain", data)
    if "issuesValues" not in data:
        raise ScenarioError(f"{path}: a GeniusWeb domain needs 'issuesValues'")
    issues = _obj(path, "issuesValues", data["issuesValues"])
    if not issues:
        raise ScenarioError(f"{path}: issuesValues is empty")
    name = str(data.get("name", path.stem))
    try:
        # The space is named after the domain, as NegMAS names it.
        space = OutcomeSpace((_value_set(path, n, s) for n, s in issues.items()), name)
    except InvalidIssueError as exc:
        raise ScenarioError(f"{path}: {exc}") from None
    return space, name


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
    path: Path,
    space: OutcomeSpace,
    domain_name: str | None = None,
    normalize_weights: bool = False,
) -> tuple[UtilityFunction, str]:
    """A GeniusWeb profile file as a utility function over ``space``, and its name.

    Weights that do not sum to one are refused, or with ``normalize_weights``
    divided by their sum (as for Genius XML).
    """
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
        if not normalize_weights or total <= 0:
            raise ScenarioError(
                f"{path}: issueWeights sum to {total!r}, not 1 (pass normalize_weights=True "
                "to divide them by their sum)"
            )
        w = {k: v / total for k, v in w.items()}
    ufun = LinearAdditiveUtilityFunction(values, w, reserved_value=0.0, outcome_space=space)
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
        if not math.isfinite(number):  # "NaN" and "Infinity" parse, and int() refuses them
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
        missing = [v for v in issue.all_values if v not in keys]
        if missing:
            raise ScenarioError(
                f"{path}: {where}: value(s) {missing} of the domain have no utility"
            )
        out = {v: _num(path, f"{where}[{keys[v]!r}]", table[keys[v]]) for v in issue.all_values}
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


def _grid(issue: DiscretizedIssue) -> tuple[float, list[float]]:
    """The step of the GeniusWeb range that holds a discretized issue's values, and
    that range's values (what the range reads back as), or a refusal naming the issue.

    The step has at most 15 significant digits (so its JSON text is that decimal)
    and is rounded down, so the range never loses its last value; each value must
    lie within a billionth of the step of the range's (float noise, as from
    ``np.linspace``).
    """
    values = [float(v) for v in issue.all_values]
    n = len(values)
    advice = (
        "GeniusWeb holds numbers only as a range low..high by a fixed step (its value "
        "lists hold text): discretise the issue evenly (ContinuousIssue.discretize), make "
        "it categorical, or write Genius XML or Palaver JSON instead"
    )
    if n < 2:
        raise ScenarioError(
            f"issue {issue.name!r} has a single value ({values[0]!r}); a GeniusWeb range is "
            f"valued by a line through its low and high values, which must differ: {advice}"
        )
    lo, hi = values[0], values[-1]
    with localcontext(Context(prec=15, rounding=ROUND_DOWN)):
        step = float((_decimal(hi) - _decimal(lo)) / (n - 1))
    grid = range_values(lo, step, n)
    off = [(v, g) for v, g in zip(values, grid, strict=True) if abs(v - g) > _GRID_TOLERANCE * step]
    if step <= 0 or range_size(lo, hi, step) != n or off:
        where = f" (value {off[0][0]!r}, the range's {off[0][1]!r})" if off else ""
        raise ScenarioError(
            f"issue {issue.name!r}: values {_short(values)} are not evenly spaced{where}; {advice}"
        )
    return step, grid


def _short(values: list[float]) -> str:
    return (
        repr(values) if len(values) <= 6 else f"[{values[0]!r}, {values[1]!r}, ..., {values[-1]!r}]"
    )


def _value_sets(space: OutcomeSpace) -> tuple[dict[str, Any], list[Any]]:
    """The GeniusWeb value set of each issue and, per issue, how a value is written
    (a dict from value to its JSON form, or ``None`` for integers written as they are)."""
    issues: dict[str, Any] = {}
    spelling: list[Any] = []
    for issue in space.issues:
        key = str(issue.name)
        if isinstance(issue, IntegerIssue):
            issues[key] = {"range": {"low": issue.min_value, "high": issue.max_value, "step": 1}}
            spelling.append(None)
        elif isinstance(issue, ContinuousIssue):
            raise ScenarioError(
                f"issue {issue.name!r} is continuous ({issue.min_value!r} to "
                f"{issue.max_value!r}); GeniusWeb has no continuous issues, only ranges by a "
                "fixed step: discretise the scenario first (scenario.discretize(levels)), "
                "which is written as such a range"
            )
        elif isinstance(issue, DiscretizedIssue):
            step, grid = _grid(issue)
            lo, hi = issue.min_value, issue.max_value
            issues[key] = {"range": {"low": lo, "high": hi, "step": step}}
            spelling.append(dict(zip(issue.all_values, grid, strict=True)))
        else:
            texts = [str(v) for v in issue.all_values]
            if len(set(texts)) != len(texts):
                raise ScenarioError(
                    f"issue {issue.name!r}: values {list(issue.all_values)} are not distinct as "
                    "text; GeniusWeb's discrete values are strings"
                )
            issues[key] = {"values": texts}
            spelling.append(dict(zip(issue.all_values, texts, strict=True)))
    return issues, spelling


def domain_json(space: OutcomeSpace, name: str) -> dict[str, Any]:
    """The GeniusWeb domain of ``space``: integer issues as ranges of step 1,
    discretized issues as ranges (their values evenly spaced), other issues as
    lists of their values as text; a continuous issue is refused."""
    return {"name": name, "issuesValues": _value_sets(space)[0]}


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
        if isinstance(part.issue, DiscreteCardinalIssue):
            # Listed numbers are written as GeniusWeb's (text) values, so they
            # are valued value by value, even by a line.
            table = part.table
            if table is None:
                line = part.linear
                assert line is not None
                table = {v: line(float(v)) for v in part.issue.all_values}
            utils[key] = {
                "discreteutils": {"valueUtilities": {str(v): u for v, u in table.items()}}
            }
        elif part.table is not None and not part.issue.is_numeric:
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
    bid = _reservation_bid(ufun, space, profile, name)
    if bid is not None:
        spelling = _value_sets(space)[1]
        body["reservationBid"] = {
            "issuevalues": {
                str(issue.name): v if spelt is None else spelt[v]
                for issue, v, spelt in zip(space.issues, bid, spelling, strict=True)
            }
        }
    return {PROFILE_KEY: body}


def _number_utilities(issue: Issue, part: IssuePart, name: str) -> dict[str, float]:
    """GeniusWeb's number utilities of a numeric issue: a line through its low and
    high values, which must differ. An integer or discretized issue valued by a
    table is written so when the table lies on a line; any other is refused (a
    GeniusWeb range takes no table, and a table of text values would read back as
    another issue)."""
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
        u_lo, u_hi = part.table[issue.all_values[0]], part.table[issue.all_values[-1]]
        slope = (u_hi - u_lo) / (hi - lo)
        off = [v for v, u in part.table.items() if abs(u - (u_lo + slope * (v - lo))) > 1e-12]
        if off:
            kind = "integer" if isinstance(issue, IntegerIssue) else "discretized"
            raise ScenarioError(
                f"ufun {name!r}: {kind} issue {issue.name!r} is valued by a table that is not "
                f"a line (value {off[0]!r} is off the line through {lo!r} and {hi!r}); a "
                "GeniusWeb number range is valued only by a line (numberutils): make the "
                "issue categorical, or write Genius XML or Palaver JSON instead"
            )
    return {"lowValue": lo, "lowUtility": u_lo, "highValue": hi, "highUtility": u_hi}


def _reservation_bid(
    ufun: UtilityFunction, space: OutcomeSpace, profile: CanonicalProfile, name: str
) -> tuple[Any, ...] | None:
    """The worst outcome at least as good as the reserved value, whose utility is the
    reserved value read back (the same outcomes stay rational); ``None`` for a reserved
    value of at most 0 (no bid reads back as 0, which every outcome reaches: all stay
    rational). A reserved value above every outcome is refused: no bid can say that no
    outcome is acceptable."""
    reserved = profile.reserved_value
    if not math.isfinite(reserved) or reserved <= 0:
        return None
    if space.cardinality > 1_000_000:
        raise ScenarioError(
            f"cannot choose a reservation bid among {space.cardinality} outcomes; "
            "GeniusWeb stores the reserved value as a bid"
        )
    outcomes = space.enumerate()
    utils = (ufun.eval_many(outcomes) - profile.shift) / profile.scale
    ok = [i for i, u in enumerate(utils.tolist()) if u >= reserved - 1e-12]
    if not ok:
        best = float(utils.max())
        raise ScenarioError(
            f"ufun {name!r}: the reserved value ({reserved!r} on GeniusWeb's scale) is above "
            f"every outcome's utility (at most {best!r}), so no outcome is acceptable; "
            "GeniusWeb stores a reserved value as a reservation bid (an outcome), which "
            "cannot say that: write Genius XML or Palaver JSON, or lower the reserved value"
        )
    worst = min(ok, key=lambda i: utils[i])
    return tuple(outcomes[worst])


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
