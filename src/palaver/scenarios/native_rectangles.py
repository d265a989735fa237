"""Hyper-rectangle utility functions in Palaver's JSON format (see :mod:`.native`).

A ``HyperRectangleUtilityFunction`` is written as its boxes, not as a table
of every outcome, so that a scenario of 10^50 outcomes (the ANAC 2014 Genius
domains) is saved and read back exactly::

    {"name": "alice", "reserved_value": 0.3, "discount_factor": 0.8,
     "type": "hyperrectangles", "max_utility": 10.0,
     "group": {"aggregation": "sum", "weight": 1.0,
               "rectangles": [{"utility": 4.0, "weight": 1.0, "exclusive": false,
                               "bounds": [["beds", 1.0, 3.0], ["trees", 0.0, 1.0]]}],
               "groups": []}}

A bound names its issue (or gives its position, from 0) with its low and high
ends; ``max_utility`` is ``null`` when utilities are not scaled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from palaver.outcomes import OutcomeSpace
from palaver.preferences import HyperRectangle, HyperRectangleUtilityFunction, RectangleGroup

if TYPE_CHECKING:
    from palaver.scenarios.native import _Reader

KIND = "hyperrectangles"


def rectangles_json(ufun: HyperRectangleUtilityFunction) -> dict[str, Any]:
    """The kind-specific members of a hyper-rectangle utility function's JSON object."""
    return {"type": KIND, "max_utility": ufun.max_utility, "group": _group_json(ufun.group)}


def _group_json(group: RectangleGroup) -> dict[str, Any]:
    return {
        "aggregation": group.aggregation,
        "weight": group.weight,
        "rectangles": [
            {
                "utility": r.utility,
                "weight": r.weight,
                "exclusive": r.exclusive,
                "bounds": [[key, low, high] for key, (low, high) in r.bounds.items()],
            }
            for r in group.rectangles
        ],
        "groups": [_group_json(g) for g in group.groups],
    }


def read_rectangles(
    r: _Reader, d: dict[str, Any], space: OutcomeSpace, rv: float, where: str
) -> HyperRectangleUtilityFunction:
    """A hyper-rectangle utility function from its JSON object ``d`` (errors name ``where``)."""
    raw_top = d.get("max_utility")
    top = None if raw_top is None else r.real(raw_top, f"{where}.max_utility")
    group = _read_group(r, d.get("group"), f"{where}.group")
    try:
        return HyperRectangleUtilityFunction(group, top, rv, space)
    except (TypeError, ValueError) as exc:
        raise r.fail(where, str(exc)) from None


_GROUP_KEYS = frozenset({"aggregation", "weight", "rectangles", "groups"})
_BOX_KEYS = frozenset({"utility", "weight", "exclusive", "bounds"})


def _read_group(r: _Reader, spec: Any, where: str) -> RectangleGroup:
    d = r.obj(spec, where)
    r.keys(d, _GROUP_KEYS, where)
    boxes = []
    for k, box in enumerate(r.list(d.get("rectangles", []), f"{where}.rectangles")):
        at = f"{where}.rectangles[{k}]"
        b = r.obj(box, at)
        r.keys(b, _BOX_KEYS, at)
        bounds: dict[str | int, tuple[float, float]] = {}
        for j, bound in enumerate(r.list(b.get("bounds", []), f"{at}.bounds")):
            if not isinstance(bound, list) or len(bound) != 3:
                raise r.fail(f"{at}.bounds[{j}]", f"expected [issue, low, high], got {bound!r}")
            if isinstance(bound[0], str | int) and bound[0] in bounds:
                # A second bound on one issue replaced the first without a word.
                raise r.fail(f"{at}.bounds[{j}]", f"issue {bound[0]!r} is bounded twice")
            low = r.real(bound[1], f"{at}.bounds[{j}]")
            bounds[bound[0]] = (low, r.real(bound[2], f"{at}.bounds[{j}]"))
        exclusive = b.get("exclusive", False)
        if not isinstance(exclusive, bool):
            raise r.fail(f"{at}.exclusive", f"expected true or false, got {exclusive!r}")
        try:
            boxes.append(
                HyperRectangle(
                    bounds,
                    r.real(b.get("utility"), f"{at}.utility"),
                    r.real(b.get("weight", 1.0), f"{at}.weight"),
                    exclusive,
                )
            )
        except (TypeError, ValueError) as exc:
            raise r.fail(at, str(exc)) from None
    groups = [
        _read_group(r, g, f"{where}.groups[{k}]")
        for k, g in enumerate(r.list(d.get("groups", []), f"{where}.groups"))
    ]
    try:
        return RectangleGroup(
            boxes,
            groups,
            d.get("aggregation", "sum"),
            r.real(d.get("weight", 1.0), f"{where}.weight"),
        )
    except (TypeError, ValueError) as exc:
        raise r.fail(where, str(exc)) from None
