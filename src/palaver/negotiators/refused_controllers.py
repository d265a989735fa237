"""NegMAS's synchronized SAO controllers, which Palaver does not make.

NegMAS's ``SAOSyncController`` (and ``SAORandomSyncController``, the
``SAOSingleAgreement...Controller`` family built on it) answers ``WAIT`` in a
negotiation until it holds an offer from every negotiation it controls, then
answers them all at once (``counter_all``). Palaver's mechanisms have no
``WAIT`` answer, by design: a negotiator's turn is never put off, so a
negotiation's rounds do not depend on when other negotiations get to theirs
(see ``ResponseType.WAIT`` and ``max_wait``).

Their names are here so that NegMAS code importing them loads (and the rest
of a module using them works); making one raises ``NotImplementedError``
saying what to use instead: :class:`~palaver.negotiators.SAOController`, which
decides for each negotiation as it is asked.
"""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = [
    "SAORandomSyncController",
    "SAOSingleAgreementAspirationController",
    "SAOSingleAgreementController",
    "SAOSingleAgreementRandomController",
    "SAOSyncController",
]


class SAOSyncController:
    """NegMAS's controller that answers all its negotiations at once; refused (no ``WAIT``)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> NoReturn:
        raise NotImplementedError(
            f"{cls.__name__}: NegMAS's synchronized controllers answer WAIT until every "
            f"negotiation they control has an offer; Palaver's mechanisms have no WAIT answer "
            f"(a turn is never put off), so they are not provided. Subclass SAOController "
            f"and decide in propose/respond for each negotiation as it asks"
        )


class SAORandomSyncController(SAOSyncController):
    """NegMAS's random synchronized controller; refused as :class:`SAOSyncController`."""


class SAOSingleAgreementController(SAOSyncController):
    """NegMAS's controller seeking one agreement across negotiations; refused as
    :class:`SAOSyncController` (it is one)."""


class SAOSingleAgreementRandomController(SAOSingleAgreementController):
    """NegMAS's random single-agreement controller; refused as :class:`SAOSyncController`."""


class SAOSingleAgreementAspirationController(SAOSingleAgreementController):
    """NegMAS's aspiration single-agreement controller; refused as :class:`SAOSyncController`."""
