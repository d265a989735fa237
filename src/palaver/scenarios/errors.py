"""The one exception the scenarios layer raises for bad input."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario, or a file it is read from, is invalid.

    The message names the file (when there is one), the element or issue at
    fault, the value found and what is allowed. A subclass of ``ValueError``,
    so code that already catches ``ValueError`` keeps working.
    """
