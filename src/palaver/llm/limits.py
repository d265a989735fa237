"""Rate limits (requests and tokens per minute) and spending budgets (tokens, USD)."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from dataclasses import dataclass

from palaver._util.checks import check_real

#: The clock and the wait of the rate limits, as module names so that a test
#: can run them on a fake clock (a loaded machine makes real waits late).
_monotonic = time.monotonic
_sleep = asyncio.sleep


def _positive(name: str, value: float | None, owner: str) -> None:
    check_real(f"{owner}({name}=...)", value, positive=True, none_ok=True, type_error=ValueError)


class _Bucket:
    """A token bucket: ``rate`` units per second, holding at most ``capacity``."""

    __slots__ = ("capacity", "level", "rate", "stamp")

    def __init__(self, per_minute: float, burst: float | None) -> None:
        self.rate = per_minute / 60.0
        self.capacity = burst if burst is not None else max(1.0, self.rate)
        self.level = self.capacity
        self.stamp = _monotonic()

    def wait_for(self, amount: float) -> float:
        """Take ``amount`` now and return how long to wait before it is covered."""
        now = _monotonic()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now
        # A request larger than the bucket waits for a full bucket and then
        # drives it negative: it is slowed, never refused forever.
        self.level -= amount
        return 0.0 if self.level >= 0 else -self.level / self.rate

    def give_back(self, amount: float) -> None:
        self.level = min(self.capacity, self.level + amount)


class RateLimit:
    """Requests per minute and tokens per minute for one backend (an API key, a server).

    A token bucket per limit: calls are spread evenly at the given rate, with
    at most ``burst_requests`` requests (default: one second's worth) and
    ``burst_tokens`` tokens (default: one second's worth) at once. Tokens are
    counted before a call from its estimate (prompt characters / 4 plus
    ``max_tokens``) and corrected by the usage the server reports. Calls
    answered from a cache are not counted. Waits happen on the asyncio loop, so
    they hold no thread.
    """

    def __init__(
        self,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
        *,
        burst_requests: float | None = None,
        burst_tokens: float | None = None,
    ) -> None:
        for name, value in (
            ("requests_per_minute", requests_per_minute),
            ("tokens_per_minute", tokens_per_minute),
            ("burst_requests", burst_requests),
            ("burst_tokens", burst_tokens),
        ):
            _positive(name, value, "RateLimit")
        for burst, burst_value, rate, rate_value in (
            ("burst_requests", burst_requests, "requests_per_minute", requests_per_minute),
            ("burst_tokens", burst_tokens, "tokens_per_minute", tokens_per_minute),
        ):
            if burst_value is not None and rate_value is None:
                raise ValueError(
                    f"RateLimit({burst}=...) needs {rate}=...; alone it limits nothing"
                )
        self.requests_per_minute = requests_per_minute
        self.tokens_per_minute = tokens_per_minute
        self._requests = (
            _Bucket(requests_per_minute, burst_requests) if requests_per_minute else None
        )
        self._tokens = _Bucket(tokens_per_minute, burst_tokens) if tokens_per_minute else None

    async def acquire(self, tokens: float) -> None:
        """Wait until a call of about ``tokens`` tokens may start."""
        delay = 0.0
        if self._requests is not None:
            delay = self._requests.wait_for(1.0)
        if self._tokens is not None:
            delay = max(delay, self._tokens.wait_for(tokens))
        if delay > 0:
            await _sleep(delay)

    def settle(self, estimated: float, actual: float) -> None:
        """Correct the token bucket once a call's real usage is known."""
        if self._tokens is None:
            return
        if actual < estimated:
            self._tokens.give_back(estimated - actual)
        else:
            self._tokens.level -= actual - estimated

    def __repr__(self) -> str:
        return (
            f"RateLimit(requests_per_minute={self.requests_per_minute}, "
            f"tokens_per_minute={self.tokens_per_minute})"
        )


@dataclass(frozen=True, slots=True)
class Spend:
    """Tokens and dollars of one call (``usd`` is ``None`` for a model without a price)."""

    tokens: int
    usd: float | None


def scaled(estimate: Spend, ratio: float) -> Spend:
    """``estimate`` times ``ratio`` (tokens rounded up): what a budget holds for a call."""
    if ratio == 1.0:
        return estimate
    # The epsilon keeps 370 * (500 / 370) at 500, not 501.
    tokens = math.ceil(estimate.tokens * ratio - 1e-9)
    return Spend(tokens, None if estimate.usd is None else estimate.usd * ratio)


def shortfall(estimate: Spend, actual: Spend) -> float:
    """How many times ``estimate`` the call really cost (1.0 when it was not more)."""
    ratio = 1.0
    if estimate.tokens > 0:
        ratio = max(ratio, actual.tokens / estimate.tokens)
    if estimate.usd and actual.usd is not None:
        ratio = max(ratio, actual.usd / estimate.usd)
    return ratio


class Budget:
    """A cap on tokens and/or US dollars, shared by everything that holds it.

    Give one to a negotiator (``budget=``) for a per-negotiator cap, or the
    same one to every negotiator of a tournament for a cap on the whole. Before
    each model call, the call's estimate (see :class:`RateLimit`) times
    :attr:`ratio` is reserved, in one step with the check that it fits in
    what is left after what was spent and what the calls in flight hold; a
    call that does not fit is not made, and the negotiator ends its
    negotiation cleanly (see :class:`LLMNegotiator`). Once the call is
    answered, its reservation is replaced by what it really cost: what the
    server reports, or an estimate when it reports nothing or the call timed
    out (see :data:`palaver.llm.caller.CHARGED_FAILURES`); :attr:`calls`
    counts the calls charged.

    The cap holds exactly as long as no call costs more than it held: what is
    spent can pass ``max_tokens`` (``max_usd``) by at most the sum, over the
    calls in flight, of what each cost beyond its reservation. The estimate
    is only characters / 4, so a call that cost more than its estimate raises
    :attr:`ratio` to the largest cost / estimate seen, and later calls hold
    that much more: only a call whose cost / estimate is larger than that of
    every call answered before it was reserved can hold too little (where
    the estimate is off by a steady factor, only the calls started before
    the first answer came back). Thread-safe.

    Args:
        max_tokens: Cap on input + output tokens.
        max_usd: Cap on cost in US dollars (needs a price for every model used,
            see :class:`PriceTable`).
        name: A label used in the events that report it.
    """

    def __init__(
        self, max_tokens: int | None = None, max_usd: float | None = None, name: str = "budget"
    ) -> None:
        # A SharedBudget's errors name the class the user wrote.
        kind = type(self).__name__
        _positive("max_tokens", max_tokens, kind)
        _positive("max_usd", max_usd, kind)
        if max_tokens is not None and not isinstance(max_tokens, int):
            raise ValueError(f"{kind}(max_tokens=...) must be an int or None, got {max_tokens!r}")
        if max_tokens is None and max_usd is None:
            raise ValueError(f"{kind} needs max_tokens=..., max_usd=... or both")
        if not isinstance(name, str) or not name:
            raise ValueError(f"{kind}(name=...) must be a non-empty str, got {name!r}")
        self.max_tokens = max_tokens
        self.max_usd = float(max_usd) if max_usd is not None else None
        self.name = name
        self.tokens = 0
        self.usd = 0.0
        self.calls = 0
        self._held_tokens = 0
        self._held_usd = 0.0
        #: The largest cost / estimate of a call so far (at least 1): what
        #: every estimate is multiplied by before it is held.
        self.ratio = 1.0
        #: What the last refused call would have held (see :attr:`exhausted`).
        self._refused: Spend | None = None
        self._lock = threading.Lock()

    def _room(
        self, tokens: int, usd: float, held_tokens: int, held_usd: float, call: Spend
    ) -> bool:
        """Whether ``call`` fits beside ``tokens`` / ``usd`` spent and the amounts held."""
        if self.max_tokens is not None and tokens + held_tokens + call.tokens > self.max_tokens:
            return False
        return not (
            self.max_usd is not None
            and call.usd is not None
            and usd + held_usd + call.usd > self.max_usd + 1e-12
        )

    def _spent_out(self, tokens: int, usd: float) -> bool:
        """Whether ``tokens`` / ``usd`` spent reach a cap."""
        over_tokens = self.max_tokens is not None and tokens >= self.max_tokens
        return over_tokens or (self.max_usd is not None and usd >= self.max_usd)

    def reserve(self, estimate: Spend) -> Spend | None:
        """Hold ``estimate`` times :attr:`ratio` if it fits in what is left.

        Returns:
            What is held (pass it to :meth:`settle`), or ``None`` when it does
            not fit and nothing is held.
        """
        if self.max_usd is not None and estimate.usd is None:
            raise ValueError(
                f"Budget {self.name!r} caps US dollars but the model has no price: add it to "
                "the PriceTable (prices=...)"
            )
        with self._lock:
            held = scaled(estimate, self.ratio)
            if not self._room(self.tokens, self.usd, self._held_tokens, self._held_usd, held):
                self._refused = held
                return None
            if self.max_usd is not None and held.usd is not None:
                self._held_usd += held.usd
            self._held_tokens += held.tokens
            return held

    def settle(self, held: Spend, actual: Spend | None, estimate: Spend | None = None) -> None:
        """Replace a reservation by what the call cost (``None``: it cost nothing).

        Args:
            held: What :meth:`reserve` returned.
            actual: What the call cost, or ``None``.
            estimate: The estimate the reservation was made from; a call that
                cost more raises :attr:`ratio`.
        """
        with self._lock:
            self._held_tokens -= held.tokens
            if held.usd is not None and self.max_usd is not None:
                self._held_usd -= held.usd
            if actual is not None:
                self.tokens += actual.tokens
                self.usd += actual.usd or 0.0
                self.calls += 1
                if estimate is not None:
                    self.ratio = max(self.ratio, shortfall(estimate, actual))

    @property
    def exhausted(self) -> bool:
        """Whether calls are refused: spending reached a cap, or the last call
        refused would still be refused now (what is spent and held leaves no
        room for what it would hold). A call can be refused before spending
        reaches the cap (it must fit whole, its estimate times :attr:`ratio`),
        and ``exhausted`` says so from then on, so ``while not
        budget.exhausted`` ends; it turns false again when calls in flight
        give back enough for that call. A smaller call may still fit."""
        with self._lock:
            refused = self._refused
            return self._spent_out(self.tokens, self.usd) or (
                refused is not None
                and not self._room(
                    self.tokens, self.usd, self._held_tokens, self._held_usd, refused
                )
            )

    def snapshot(self) -> dict[str, float | int | str | None]:
        """Caps and spending as plain data (what the events report)."""
        with self._lock:
            return {
                "name": self.name,
                "max_tokens": self.max_tokens,
                "max_usd": self.max_usd,
                "tokens": self.tokens,
                "usd": round(self.usd, 10),
                "calls": self.calls,
            }

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        # Only what it was made with: a tournament's setup digest (which
        # decides whether a folder can be resumed) includes this text.
        return f"Budget(max_tokens={self.max_tokens}, max_usd={self.max_usd}, name={self.name!r})"
