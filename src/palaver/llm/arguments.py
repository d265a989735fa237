"""Checks of LLMNegotiator's arguments, and the request parameters they make."""

from __future__ import annotations

import math
from typing import Any

import orjson

from palaver._util.checks import check_int


def count(name: str, value: Any, minimum: int) -> int:
    """``value`` as an int of at least ``minimum``, or a ``ValueError`` naming ``name``."""
    return check_int(f"LLMNegotiator({name}=...)", value, minimum=minimum, type_error=ValueError)


def request_params(
    temperature: float | None,
    max_tokens: int | None,
    json_mode: bool,
    params: dict[str, Any] | None,
) -> dict[str, Any]:
    """The parameters sent with every request, checked: each bad value raises
    ``ValueError`` naming it; ``params`` may not override what Palaver sets."""
    request: dict[str, Any] = {}
    if temperature is not None:
        if (
            isinstance(temperature, bool)
            or not isinstance(temperature, int | float)
            or not (math.isfinite(temperature) and temperature >= 0)
        ):
            raise ValueError(
                f"LLMNegotiator(temperature=...) must be a number >= 0 or None, got {temperature!r}"
            )
        request["temperature"] = float(temperature)
    if max_tokens is not None:
        request["max_tokens"] = count("max_tokens", max_tokens, 1)
        if request["max_tokens"] >= 2**63:
            # Sent as a JSON integer: past 64 bits it failed at the first call
            # ("Integer exceeds 64-bit range"), not here.
            raise ValueError(
                f"LLMNegotiator(max_tokens=...) must be an int from 1 to 2**63 - 1 or None, "
                f"got {max_tokens!r}"
            )
    if not isinstance(json_mode, bool):
        raise ValueError(f"LLMNegotiator(json_mode=...) must be a bool, got {json_mode!r}")
    if json_mode:
        request["response_format"] = {"type": "json_object"}
    if params is not None:
        if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
            raise ValueError(f"LLMNegotiator(params=...) must be a dict, got {params!r}")
        reserved = sorted(set(params) & {"model", "messages", "seed", "stream", "n"})
        if reserved:
            raise ValueError(
                f"LLMNegotiator(params=...) may not set {reserved}: the model comes from the "
                "backend, the messages from the templates, the seed from seed=; streaming "
                "and several choices are not supported"
            )
        try:
            orjson.dumps(params)
        except TypeError as exc:
            raise ValueError(f"LLMNegotiator(params=...) must be plain JSON data: {exc}") from None
        request.update(params)
    return request
