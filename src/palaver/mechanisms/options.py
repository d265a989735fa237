"""A mechanism's limits as one value object, and the keywords every mechanism shares.

:class:`MechanismLimits` holds the four limits of a negotiation, validated once
when it is made; a mechanism keeps the one object and its negotiator interfaces
read the same object. Every mechanism takes the limits either one by one as
keywords (NegMAS's spelling, ``SAOMechanism(issues=..., n_steps=100)``) or as
``limits=MechanismLimits(...)`` (to share one set of limits between many
mechanisms), not both.

A mechanism class declares only its own parameters and takes the shared ones
as ``**options: Unpack[MechanismOptions]``: type checkers and IDEs show and
check those keywords, and :func:`shared_signature` gives the class the full
signature at run time (``help()``, ``inspect.signature``, a world checking a
mechanism's parameters).
"""

from __future__ import annotations

import hashlib
import inspect
import math
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from palaver._util.checks import check_bool, check_int, check_real, is_text
from palaver.mechanisms.errors import MechanismError, MechanismTypeError, MechanismValueError
from palaver.outcomes.helpers import accept_space_keywords

if TYPE_CHECKING:
    from palaver.events import EventBus
    from palaver.outcomes import Outcome


def checked_seed(seed: int | None) -> int:
    """``seed`` checked (an integer >= 0), or a random one drawn when it is ``None``."""
    if seed is None:
        return secrets.randbits(63)
    if type(seed) is int and seed >= 0:
        return seed
    return check_int(
        "seed", seed, minimum=0, type_error=MechanismTypeError, value_error=MechanismValueError
    )


def check_sync_calls(sync_calls: object) -> None:
    """NegMAS's ``sync_calls``: only ``True`` (calls one at a time, in the caller's thread).

    Palaver always calls negotiators synchronously and checks the time limits
    between calls; it has no mode that runs each call in a thread abandoned
    at its time limit (NegMAS's ``sync_calls=False``), so asking for one is an
    error rather than a silent difference.
    """
    if sync_calls is True:
        return
    if sync_calls is False:
        raise MechanismValueError(
            "sync_calls=False is not supported: allowed is sync_calls=True (the default). "
            "Palaver calls negotiators one at a time in the caller's thread and checks "
            "negotiator_time_limit / step_time_limit / time_limit between calls; it never "
            "runs a call in a thread abandoned at its time limit"
        )
    raise MechanismTypeError(f"sync_calls must be True, got {sync_calls!r}")


def flag(name: str, value: object) -> bool:
    """``value`` when it is a bool; else a ``MechanismTypeError`` naming ``name``."""
    return check_bool(name, value, type_error=MechanismTypeError)


def default_id(cls: type, seed: int) -> str:
    """``<class name in lower case>-<12 hex digits of the seed's hash>``."""
    digest = hashlib.blake2b(str(seed).encode(), digest_size=6).hexdigest()
    return f"{cls.__name__.lower()}-{digest}"


def check_text(id: str, name: str | None) -> None:
    """Refuse an id or name holding a lone surrogate: every event of the
    negotiation carries them, and a recorder could then write nothing more
    (UnicodeEncodeError deep inside, close() included)."""
    for label, text in (("id", id), ("name", name)):
        if text is not None and not is_text(text):
            raise MechanismValueError(
                f"{label}={text!r:.80} is not valid text (it holds a lone surrogate): "
                "give a str that can be written as UTF-8"
            )


def _seconds(name: str, value: float | None) -> float | None:
    check_real(
        name,
        value,
        positive=True,
        none_ok=True,
        inf_ok=True,
        type_error=MechanismTypeError,
        value_error=MechanismValueError,
    )
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class MechanismLimits:
    """When a negotiation must end: a round limit, wall-clock limits, random endings.

    At least one of ``n_steps``, ``time_limit``, ``pend`` and
    ``pend_per_second`` is required, so that no negotiation is unbounded (a
    random ending ends it with probability one). Time limits are checked
    between calls: ``time_limit`` before each round, ``step_time_limit`` when a
    round ends, ``negotiator_time_limit`` after each negotiator call; in SAO a
    negotiator's call still running shortly after the earliest of them is also
    stopped (see :mod:`palaver.mechanisms.call_limits`). Invalid values raise a
    ``MechanismTypeError`` or ``MechanismValueError`` naming the limit.

    Attributes:
        n_steps: The most rounds (an integer >= 1), or ``None``.
        time_limit: Seconds the whole negotiation may take (> 0, ``inf`` allowed), or ``None``.
        step_time_limit: Seconds one round may take, or ``None``.
        negotiator_time_limit: Seconds one negotiator call may take, or ``None``.
        pend: NegMAS's probability (in ``[0, 1]``) that the negotiation ends, timed
            out, before any round; drawn from the mechanism's seed. 0: never.
        pend_per_second: NegMAS's probability (in ``[0, 1]``) that it ends, timed
            out, in each second of wall-clock time (drawn before the first round
            of each new second). 0: never.
    """

    n_steps: int | None = None
    time_limit: float | None = None
    step_time_limit: float | None = None
    negotiator_time_limit: float | None = None
    pend: float = 0.0
    pend_per_second: float = 0.0

    def __post_init__(self) -> None:
        check_int(
            "n_steps",
            self.n_steps,
            minimum=1,
            none_ok=True,
            type_error=MechanismTypeError,
            value_error=MechanismValueError,
        )
        # Numbers become plain floats (an int or a numpy scalar is accepted).
        for name in ("time_limit", "step_time_limit", "negotiator_time_limit"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _seconds(name, value))
        for name in ("pend", "pend_per_second"):
            value = getattr(self, name)
            if value != 0.0 or type(value) is not float:
                value = check_real(
                    name, value, type_error=MechanismTypeError, value_error=MechanismValueError
                )
                if not 0.0 <= value <= 1.0:
                    raise MechanismValueError(
                        f"{name} must be a probability in [0, 1] (0: never), got {value!r}"
                    )
                object.__setattr__(self, name, float(value))
        if (
            self.n_steps is None
            # An infinite time limit is no limit ("math.inf means no limit").
            and (self.time_limit is None or math.isinf(self.time_limit))
            and not self.pend
            and not self.pend_per_second
        ):
            raise MechanismError(
                "set n_steps, a finite time_limit, pend or pend_per_second: a negotiation "
                f"must be bounded (got time_limit={self.time_limit!r} and no other limit)"
            )

    @property
    def time_step(self) -> float:
        """The relative time one round advances: ``1 / (n_steps + 1)``; without a round
        limit ``1 / (ceil(1 / pend) + 1)`` (the expected rounds, as NegMAS counts them),
        else 0."""
        if self.n_steps is not None:
            return 1.0 / (self.n_steps + 1)
        if self.pend:
            return 1.0 / (math.ceil(1.0 / self.pend) + 1)
        return 0.0

    @property
    def expected_n_steps(self) -> int | None:
        """The rounds to expect: ``n_steps``, or ``ceil(1 / pend)`` when that is fewer
        (NegMAS's expectation); ``None`` without either."""
        expected = math.ceil(1.0 / self.pend) if self.pend else None
        if self.n_steps is None:
            return expected
        return self.n_steps if expected is None else min(self.n_steps, expected)

    @classmethod
    def resolve(
        cls,
        limits: MechanismLimits | None,
        n_steps: int | None,
        time_limit: float | None,
        step_time_limit: float | None,
        negotiator_time_limit: float | None,
        pend: float = 0.0,
        pend_per_second: float = 0.0,
    ) -> MechanismLimits:
        """``limits``, or the limits the four keywords give; ``MechanismError`` for both.

        Limits are immutable, so mechanisms made again and again with the same
        keywords (a world's negotiations, a tournament's) share one object.
        """
        if limits is None:
            # Random endings are rare, made (and checked) each time; by type, not
            # truthiness, so that a falsy wrong value ([], "") is refused, not dropped.
            if (
                type(pend) is not float
                or type(pend_per_second) is not float
                or pend
                or pend_per_second
            ):
                return cls(
                    n_steps, time_limit, step_time_limit, negotiator_time_limit, pend,
                    pend_per_second,
                )  # fmt: skip
            if (
                type(n_steps) is int
                and time_limit is None
                and step_time_limit is None
                and negotiator_time_limit is None
            ):  # the usual case: a round limit alone
                made = _BY_STEPS.get(n_steps)
                if made is None:
                    made = cls(n_steps)
                    if len(_BY_STEPS) >= _MAX_MADE:
                        del _BY_STEPS[next(iter(_BY_STEPS))]
                    _BY_STEPS[n_steps] = made
                return made
            values = (n_steps, time_limit, step_time_limit, negotiator_time_limit)
            # The types are in the key: True == 1 and 1 == 1.0, but only 1 is a valid n_steps.
            key = (values, tuple(map(type, values)))
            try:
                made = _MADE.get(key)
            except TypeError:  # unhashable values: let validation name them
                return cls(*values)
            if made is None:
                made = cls(*values)
                if len(_MADE) >= _MAX_MADE:
                    del _MADE[next(iter(_MADE))]
                _MADE[key] = made
            return made
        if not isinstance(limits, MechanismLimits):
            raise MechanismTypeError(
                f"limits must be a MechanismLimits or None, got {limits!r} "
                f"({type(limits).__name__})"
            )
        given = {
            "n_steps": n_steps,
            "time_limit": time_limit,
            "step_time_limit": step_time_limit,
            "negotiator_time_limit": negotiator_time_limit,
            "pend": pend or None,
            "pend_per_second": pend_per_second or None,
        }
        both = [k for k, v in given.items() if v is not None]
        if both:
            raise MechanismError(
                f"give limits= or the limit keywords, not both (limits={limits!r} and {both})"
            )
        return limits


_MADE: dict[tuple[tuple[object, ...], tuple[type, ...]], MechanismLimits] = {}
_MAX_MADE = 64
_BY_STEPS: dict[int, MechanismLimits] = {}


class MechanismOptions(TypedDict, total=False):
    """The keywords every mechanism takes besides the outcome space (see :class:`Mechanism`)."""

    n_steps: int | None
    time_limit: float | None
    step_time_limit: float | None
    negotiator_time_limit: float | None
    pend: float
    pend_per_second: float
    limits: MechanismLimits | None
    ignore_negotiator_exceptions: bool
    seed: int | None
    bus: EventBus | None
    id: str | None
    annotation: dict[str, Any] | None
    outcomes: int | Sequence[Outcome] | None
    sync_calls: bool
    name: str | None
    extra_callbacks: bool
    hidden_time_limit: float | None
    dynamic_entry: bool
    max_n_negotiators: int | None
    checkpoint_every: int
    checkpoint_folder: str | Path | None
    checkpoint_filename: str | None
    extra_checkpoint_info: dict[str, Any] | None
    single_checkpoint: bool
    exist_ok: bool


def shared_signature(init: Callable[..., None], base_init: Callable[..., None]) -> None:
    """Give ``init`` (which ends in ``**options``) its full signature for introspection.

    The shared keywords of ``base_init`` that ``init`` does not declare itself
    replace ``**options``, as keyword-only parameters.
    """
    own = inspect.signature(init)
    params = [p for p in own.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    names = {p.name for p in params}
    for p in inspect.signature(base_init).parameters.values():
        if p.name not in names and p.name in MechanismOptions.__annotations__:
            params.append(p.replace(kind=inspect.Parameter.KEYWORD_ONLY))
    init.__signature__ = own.replace(parameters=params)  # type: ignore[attr-defined]


def adopt_shared_keywords(cls: type, base_init: Callable[..., None]) -> None:
    """Make a new mechanism class take NegMAS's ``outcomes=`` and show the shared keywords.

    ``outcomes=`` is translated for a class that neither declares it nor
    forwards keywords to ``base_init`` (which takes it); a class ending in
    ``**options`` gets its full signature from :func:`shared_signature`.
    """
    accept_space_keywords(cls)
    init = cls.__dict__.get("__init__")
    if init is not None and "options" in inspect.signature(init).parameters:
        shared_signature(init, base_init)
