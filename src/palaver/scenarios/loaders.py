"""NegMAS's Genius loader functions, as thin wrappers of :class:`Scenario`'s methods.

NegMAS 0.16 takes extra keywords in these functions and drops them (they were
once passed on to a mechanism); Palaver drops them too, so such scripts run,
but says so with a :class:`~palaver.scenarios.ScenarioWarning` naming them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from palaver.scenarios.errors import ScenarioWarning
from palaver.scenarios.scenario import Scenario

__all__ = ["load_genius_domain", "load_genius_domain_from_folder"]

PathLike = str | Path


def _dropped(function: str, extra: dict[str, Any]) -> None:
    if extra:
        warnings.warn(
            f"{function}: {sorted(extra)} ignored, as NegMAS ignores them; give mechanism "
            "options to make_session(...) instead",
            ScenarioWarning,
            stacklevel=3,
        )


def load_genius_domain_from_folder(
    folder_name: PathLike,
    ignore_reserved: bool = False,
    ignore_discount: bool = False,
    safe_parsing: bool = False,
    **kwargs: Any,
) -> Scenario:
    """NegMAS's name for :meth:`Scenario.from_genius_folder`: the scenario of a
    folder holding a Genius domain file and its profile files."""
    _dropped("load_genius_domain_from_folder", kwargs)
    return Scenario.from_genius_folder(
        folder_name,
        ignore_reserved=ignore_reserved,
        ignore_discount=ignore_discount,
        safe_parsing=safe_parsing,
    )


def load_genius_domain(
    domain_file_name: PathLike,
    utility_file_names: Iterable[PathLike] | None = None,
    ignore_discount: bool = False,
    ignore_reserved: bool = False,
    safe_parsing: bool = True,
    name: str | None = None,
    **kwargs: Any,
) -> Scenario:
    """NegMAS's name for :meth:`Scenario.from_genius_files`: a domain file and
    one profile file per party, in order."""
    _dropped("load_genius_domain", kwargs)
    return Scenario.from_genius_files(
        domain_file_name,
        utility_file_names,
        name=name,
        ignore_discount=ignore_discount,
        ignore_reserved=ignore_reserved,
        safe_parsing=safe_parsing,
    )
