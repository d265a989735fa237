"""The exception the scenarios layer raises for bad input, and its warning."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario, or a file it is read from, is invalid.

    The message names the file (when there is one), the element or issue at
    fault, the value found and what is allowed. A subclass of ``ValueError``,
    so code that already catches ``ValueError`` keeps working.
    """


class ScenarioWarning(UserWarning):
    """A file was read as Genius reads it, but not as its author may have meant.

    Issued, naming the file and element, when Palaver follows Genius on a
    point a file leaves open: weights that do not sum to one (used as given),
    a profile issue whose name is another domain issue's (tied by its index),
    a weight of no issue (ignored).
    """
