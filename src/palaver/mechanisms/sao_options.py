"""NegMAS ``SAOMechanism`` keywords that Palaver accepts only at their defaults.

Each is accepted at the value that means "nothing happens" (NegMAS's default);
any other value either warns as NegMAS does (``avoid_ultimatum``) or is
refused with an error naming the keyword, the value and what is allowed, so
that no NegMAS option is silently ignored.
"""

from __future__ import annotations

import sys
import warnings

from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError


def check_avoid_ultimatum(value: object) -> None:
    """NegMAS's ``avoid_ultimatum``: ``True`` warns and acts as ``False``, as in NegMAS 0.16.

    NegMAS 0.16 deprecated the option: it warns and forces it to ``False``, so
    it never changes a negotiation there either. Palaver does the same
    (a ``DeprecationWarning``) so that code passing it runs unchanged.
    """
    if value is False:
        return
    if value is True:
        warnings.warn(
            "avoid_ultimatum=True has no effect: NegMAS 0.16 deprecated it and forces it to "
            "False, and so does Palaver",
            DeprecationWarning,
            stacklevel=4,
        )
        return
    raise MechanismTypeError(f"avoid_ultimatum must be a bool, got {value!r}")


def check_max_wait(value: object) -> None:
    """NegMAS's ``max_wait`` (the most successive ``WAIT`` answers): only its default.

    Palaver has no ``WAIT`` answer (a negotiator's turn is never put off), so
    the bound can never be reached; ``sys.maxsize`` (NegMAS's default) and
    ``None`` (no bound) are accepted, anything else is refused rather than
    ignored.
    """
    if value is None or (type(value) is int and value == sys.maxsize):
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise MechanismTypeError(f"max_wait must be an int or None, got {value!r}")
    raise MechanismValueError(
        f"max_wait={value!r} is not supported: allowed are max_wait=sys.maxsize (the default) "
        "and None. Palaver has no WAIT response, so a bound on successive waits never applies"
    )


def check_offer_options(
    check_offers: object, enforce_issue_types: object, cast_offers: object
) -> None:
    """NegMAS's ``check_offers``, ``enforce_issue_types``, ``cast_offers``: each only ``True``."""
    for name, value in (
        ("check_offers", check_offers),
        ("enforce_issue_types", enforce_issue_types),
        ("cast_offers", cast_offers),
    ):
        _check_offer_option(name, value)


def _check_offer_option(name: str, value: object) -> None:
    """NegMAS's ``check_offers`` / ``enforce_issue_types`` / ``cast_offers``: only ``True``.

    Palaver always checks every offer against the outcome space and stores
    the issues' own values (``1`` for ``1.0``); it has no mode that lets an
    invalid or uncast offer through, so asking for one is an error rather than
    a silent difference.
    """
    if value is True:
        return
    if value is False:
        raise MechanismValueError(
            f"{name}=False is not supported: allowed is {name}=True (the default). Palaver "
            "checks every offer against the outcome space and stores the issues' own values "
            "(1 for 1.0); see end_on_invalid_offer for what an invalid offer does"
        )
    raise MechanismTypeError(f"{name} must be True, got {value!r}")
