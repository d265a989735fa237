"""Numbers of Genius XML files, and a profile's reserved value and discount
factor: what the linear and nonlinear profile readers share."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

from palaver.scenarios.errors import ScenarioError


def number(
    path: Path, where: str, element: ET.Element, attribute: str, finite: bool = True
) -> float:
    """A numeric attribute; NaN is refused, and infinities unless ``finite=False``."""
    raw = element.get(attribute)
    if raw is None:
        raise ScenarioError(f"{path}: {where}: missing attribute {attribute!r}")
    try:
        value = float(raw)
    except ValueError:
        raise ScenarioError(f"{path}: {where}: {attribute}={raw!r} is not a number") from None
    if math.isnan(value):
        raise ScenarioError(f"{path}: {where}: {attribute} is NaN")
    if finite and math.isinf(value):
        raise ScenarioError(f"{path}: {where}: {attribute}={raw!r} is not a finite number")
    return value


def reservation_and_discount(path: Path, root: ET.Element) -> tuple[float, float]:
    """A profile's reserved value (0 when absent; ``-Infinity`` for none) and
    discount factor (1 when absent or 0), each checked."""
    reserved = 0.0
    found = root.find("reservation")
    if found is not None:
        reserved = number(path, "<reservation>", found, "value", finite=False)
        if reserved == math.inf:
            raise ScenarioError(
                f"{path}: <reservation>: value={found.get('value')!r} is +Infinity; a reserved "
                "value is a finite number, or -Infinity for no reservation"
            )
    discount = 1.0
    found = root.find("discount_factor")
    if found is not None:
        discount = number(path, "<discount_factor>", found, "value")
        if not 0 <= discount <= 1:
            raise ScenarioError(f"{path}: <discount_factor> {discount} is not in [0, 1]")
        discount = discount or 1.0
    return reserved, discount
