"""NegMAS's warning classes (``negmas.warnings``), below every layer so any layer can use them.

Each is a :class:`UserWarning` under :class:`NegmasWarning`, so code written
for NegMAS can filter or expect them by the names it knows
(``pytest.warns(NegmasUnexpectedValueWarning)``). Palaver's own warnings
derive from the matching one (a replaced reserved value's
``ReservedValueWarning`` is a :class:`NegmasUnexpectedValueWarning`).
"""

from __future__ import annotations

import warnings

__all__ = [
    "NegmasBrdigeParsingWarning",
    "NegmasBridgePathWarning",
    "NegmasBridgeProcessWarning",
    "NegmasCannotStartNegotiation",
    "NegmasCaughtExceptionWarning",
    "NegmasDoubleAssignmentWarning",
    "NegmasIOWarning",
    "NegmasIgnoredValueWarning",
    "NegmasImportWarning",
    "NegmasInfiniteNegotiationWarning",
    "NegmasLoggingWarning",
    "NegmasMemoryWarning",
    "NegmasNoResponseWarning",
    "NegmasNumericWarning",
    "NegmasSarializationWarning",
    "NegmasShutdownWarning",
    "NegmasSlowOperation",
    "NegmasSpeedWarning",
    "NegmasStepAndTimeLimitWarning",
    "NegmasUnexpectedValueWarning",
    "NegmasUnusedValueWarning",
    "NegmasVisualizationWarning",
    "NegmasWarning",
    "NegmasWorldConfigWarning",
    "deprecated",
    "warn",
]


class NegmasWarning(UserWarning):
    """The base of NegMAS's warnings."""


class NegmasBridgePathWarning(NegmasWarning):
    """About the path of the Genius bridge (which Palaver does not run)."""


class NegmasBridgeProcessWarning(NegmasWarning):
    """About the Genius bridge's process (which Palaver does not run)."""


class NegmasInfiniteNegotiationWarning(NegmasWarning):
    """A negotiation may never end (no round or time limit)."""


class NegmasStepAndTimeLimitWarning(NegmasWarning):
    """About a negotiation given both a round and a time limit."""


class NegmasCannotStartNegotiation(NegmasWarning):
    """A negotiation could not start."""


class NegmasBrdigeParsingWarning(NegmasWarning):
    """About parsing what the Genius bridge sent (NegMAS's spelling kept)."""


class NegmasSarializationWarning(NegmasWarning):
    """About serialization (NegMAS's spelling kept)."""


class NegmasIOWarning(NegmasWarning):
    """About reading or writing files."""


class NegmasShutdownWarning(NegmasWarning):
    """About shutting something down."""


class NegmasWorldConfigWarning(NegmasWarning):
    """About a world's configuration."""


class NegmasImportWarning(NegmasWarning, ImportWarning):
    """An optional module could not be imported."""


class NegmasUnusedValueWarning(NegmasWarning):
    """A value given was not used."""


class NegmasMemoryWarning(NegmasWarning):
    """An operation may need much memory."""


class NegmasCaughtExceptionWarning(NegmasWarning):
    """An exception was caught and the run went on."""


class NegmasVisualizationWarning(NegmasWarning):
    """About plotting."""


class NegmasNoResponseWarning(NegmasWarning):
    """A negotiator did not respond."""


class NegmasLoggingWarning(NegmasWarning):
    """About logging."""


class NegmasNumericWarning(NegmasWarning):
    """About a numerical problem."""


class NegmasSpeedWarning(NegmasWarning):
    """An operation may be slow."""


class NegmasIgnoredValueWarning(NegmasWarning):
    """A value given was ignored."""


class NegmasDoubleAssignmentWarning(NegmasWarning):
    """Something was assigned twice."""


class NegmasUnexpectedValueWarning(NegmasWarning):
    """A value was not what was expected (and was replaced or skipped)."""


class NegmasSlowOperation(NegmasWarning):
    """An operation on a large input may be slow."""


def warn(
    message: str,
    category: type[Warning] = NegmasWarning,
    stacklevel: int = 2,
    source: object = None,
) -> None:
    """:func:`warnings.warn` with :class:`NegmasWarning` as the default category.

    ``stacklevel`` counts from this function, as NegMAS's does: the default
    blames the caller of ``warn``.
    """
    warnings.warn(message, category, stacklevel, source)


def deprecated(message: str, stacklevel: int = 3) -> None:
    """A :class:`DeprecationWarning` with ``message`` (``stacklevel`` counted from here)."""
    warnings.warn(message, DeprecationWarning, stacklevel)
