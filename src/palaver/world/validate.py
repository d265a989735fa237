"""Checks of the world's options at its boundary: type and range, with errors that
name the parameter, the value and what is allowed."""

from __future__ import annotations

import difflib
import functools
import logging
import math
import os
import sys
from collections.abc import Callable, Mapping
from numbers import Integral, Real
from pathlib import Path
from typing import Any

from palaver._util import checks as _checks
from palaver._util.imports import import_dotted
from palaver.events import EventType
from palaver.world.errors import WorldParameterError

__all__ = [
    "RULES",
    "check_bool",
    "check_count",
    "check_int",
    "check_level",
    "check_path",
    "check_period",
    "check_quota",
    "check_seconds",
    "check_seed",
    "normalise",
]


def _bad(name: str, value: Any, allowed: str, kind: type[Exception] = ValueError) -> Exception:
    # ``kind`` says which of TypeError / ValueError the problem is; the error
    # raised is both, so that callers catching either see it.
    return WorldParameterError(f"{name} must be {allowed}; got {value!r}")


def _is_int(value: Any) -> bool:
    # numbers.Integral: numpy's integers too (NegMAS takes them wherever an int goes).
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


# Integers are checked by palaver._util.checks like every other layer's; the
# checks of seconds, quotas and levels stay here because their messages say
# what the world makes of a value (``inf`` means no limit, ...).


def check_bool(name: str, value: Any) -> bool:
    """``value`` when it is a bool (``True``/``False``, not 0/1 or a string)."""
    if not isinstance(value, bool):
        raise _bad(name, value, "True or False", TypeError)
    return value


def check_int(name: str, value: Any, minimum: int, optional: bool = False) -> int | None:
    """An int >= ``minimum`` (``None`` too when ``optional``); never a float or bool."""
    if value is None and optional:
        return None
    return _checks.check_int(
        name,
        value,
        minimum=minimum,
        none_ok=optional,
        type_error=WorldParameterError,
        value_error=WorldParameterError,
    )


def check_max_saved(name: str, value: Any) -> int | None:
    """An int from 1 to ``sys.maxsize``, or ``None`` (keep everything).

    The bound is a ``deque``'s ``maxlen``, which cannot exceed ``sys.maxsize``:
    a larger count failed when the world was made, with OverflowError
    naming no parameter.
    """
    count = check_int(name, value, 1, optional=True)
    if count is not None and count > sys.maxsize:
        raise WorldParameterError(
            f"{name} must be an integer from 1 to {sys.maxsize} or None (keep every "
            f"record), got {count!r:.80}"
        )
    return count


def check_period(name: str, value: Any) -> int:
    """A period in steps: an int, where any value <= 0 means never (stored as 0).

    NegMAS documents ``checkpoint_every`` as "set to <= 0 to disable" and
    ``log_stats_every`` as acting only when "nonzero and positive", so code
    written against it may pass -1; a float or bool is still refused.
    """
    if not _is_int(value):
        raise _bad(name, value, "an int (a period in steps; 0 or less: never)", TypeError)
    return max(int(value), 0)


def check_count(name: str, value: Any) -> int:
    """An int >= 1."""
    result = check_int(name, value, 1)
    assert result is not None
    return result


def check_seconds(name: str, value: Any) -> float | None:
    """A positive finite number of seconds, or ``None`` (``inf`` also means no limit)."""
    if value is None:
        return None
    allowed = "a positive number of seconds, or None (no limit)"
    if not _is_real(value):
        raise _bad(name, value, allowed, TypeError)
    value = float(value)
    if math.isnan(value) or value <= 0:
        raise _bad(name, value, allowed)
    return None if math.isinf(value) else value


def check_quota(name: str, value: Any) -> float:
    """A count of negotiations >= 0: an int, or ``math.inf`` (no quota)."""
    allowed = "an int >= 0 or math.inf (no quota)"
    if not _is_real(value):
        raise _bad(name, value, allowed, TypeError)
    if _is_int(value):
        if value < 0:
            raise _bad(name, value, allowed)
        return int(value)
    number = float(value)
    if math.isnan(number) or number < 0 or not (math.isinf(number) or number.is_integer()):
        raise _bad(name, value, allowed)
    return number if math.isinf(number) else int(number)


def check_seed(name: str, value: Any) -> int | None:
    """A seed: an int >= 0 (numpy's too) or ``None`` (never a float: 1.5 is not silently 1)."""
    if value is None:
        return None
    return _checks.check_int(
        name,
        value,
        minimum=0,
        none_ok=True,
        type_error=WorldParameterError,
        value_error=WorldParameterError,
    )


def check_level(name: str, value: Any) -> int | str:
    """A logging level: an int >= 0, or a level name (``"DEBUG"``, ``"info"``, ...)."""
    if _is_int(value) and value >= 0:
        return int(value)
    if isinstance(value, str) and isinstance(logging.getLevelName(value.upper()), int):
        return value
    raise _bad(
        name,
        value,
        "a logging level (an int >= 0, as logging.DEBUG is 10, or a name such as 'INFO')",
        ValueError if _is_int(value) else TypeError,
    )


def check_path(name: str, value: Any) -> str | None:
    """A folder path (str or path-like) or ``None``."""
    if value is None:
        return None
    if isinstance(value, str | os.PathLike):
        text = os.fspath(value)
        if isinstance(text, str) and text:
            return text
    raise _bad(name, value, "a folder path (str or pathlib.Path) or None", TypeError)


def check_file(name: str, value: Any) -> Path:
    """A path (a non-empty str or path-like), as a ``Path``."""
    if isinstance(value, str | os.PathLike):
        text = os.fspath(value)
        if isinstance(text, str) and text:
            return Path(text)
    raise _bad(name, value, "a path (str or pathlib.Path)", TypeError)


def check_mapping(name: str, value: Any) -> Any:
    """A dict (or other mapping) or ``None``."""
    if value is None or isinstance(value, Mapping):
        return value
    raise _bad(name, value, "a dict or None", TypeError)


def _plain_name(name: str, value: Any) -> str:
    from palaver.world.files import plain_file_name  # files.py needs nothing from here

    return plain_file_name(name, value)


#: The check of every config field that has one (field name -> check).
RULES: dict[str, Callable[[str, Any], Any]] = {
    "negotiation_speed": lambda n, v: check_int(n, v, 1, optional=True),
    "neg_n_steps": lambda n, v: check_int(n, v, 1, optional=True),
    "neg_step_time_limit": check_seconds,
    "neg_time_limit": check_seconds,
    "negotiator_time_limit": check_seconds,
    "negotiation_quota_per_step": check_quota,
    "negotiation_quota_per_simulation": check_quota,
    "start_negotiations_immediately": check_bool,
    "default_signing_delay": lambda n, v: check_int(n, v, 0),
    "force_signing": check_bool,
    "batch_signing": check_bool,
    "log_folder": check_path,
    "log_to_file": check_bool,
    "log_file_name": _plain_name,
    "log_file_level": check_level,
    "log_ufuns": check_bool,
    "log_negotiations": check_bool,
    "log_to_screen": check_bool,
    "log_screen_level": check_level,
    "no_logs": check_bool,
    "log_stats_every": check_period,
    "construct_graphs": check_bool,
    "save_signed_contracts": check_bool,
    "save_cancelled_contracts": check_bool,
    "save_negotiations": check_bool,
    "save_resolved_breaches": check_bool,
    "save_unresolved_breaches": check_bool,
    "max_saved": lambda n, v: check_max_saved(n, v),
    "ignore_agent_exceptions": check_bool,
    "ignore_mechanism_exceptions": check_bool,
    "ignore_simulation_exceptions": check_bool,
    "ignore_contract_execution_exceptions": check_bool,
    "safe_stats_monitoring": check_bool,
    "checkpoint_every": check_period,
    "checkpoint_folder": check_path,
    "checkpoint_filename": _plain_name,
    "single_checkpoint": check_bool,
    "extra_checkpoint_info": check_mapping,
    "exist_ok": check_bool,
}


def normalise(config: Any) -> None:
    """Check every field of a frozen config dataclass that has a rule, storing the
    normalised value (``inf`` seconds -> ``None``, a ``Path`` folder -> ``str``)."""
    for field_name in config.__dataclass_fields__:
        rule = RULES.get(field_name)
        if rule is None:
            continue
        value = rule(field_name, getattr(config, field_name))
        object.__setattr__(config, field_name, value)


def _import_awi(name: str, default: type) -> type:
    """The AWI class a dotted name stands for (NegMAS's and Palaver's own name Palaver's)."""
    module, _, cls_name = name.rpartition(".")
    if cls_name in ("AgentWorldInterface", "AWI") and (
        not module or module.split(".")[0] in ("negmas", "palaver")
    ):
        return default
    try:
        cls = import_dotted(name) if module else None
    except (ImportError, ValueError):
        cls = None
    if not isinstance(cls, type):
        raise _bad("awi_type", name, "an importable dotted class name, a class, or None")
    return cls


def check_world_arguments(args: dict[str, Any]) -> dict[str, Any]:
    """Check the World constructor's own arguments (not the config groups).

    ``args`` maps argument name -> value; returns them normalised (``time_limit``
    of ``inf`` -> ``None``). Raises ``TypeError`` / ``ValueError`` naming the
    argument, its value and what is allowed.
    """
    from palaver.events import EventBus
    from palaver.world.awi import AgentWorldInterface
    from palaver.world.bulletin import BulletinBoard

    out = dict(args)
    out["n_steps"] = check_count("n_steps", args["n_steps"])
    out["time_limit"] = check_seconds("time_limit", args["time_limit"])
    out["seed"] = check_seed("seed", args["seed"])
    out["shuffle_agents"] = check_bool("shuffle_agents", args["shuffle_agents"])
    name = args["name"]
    if name is not None and (not isinstance(name, str) or not name):
        raise _bad("name", name, "a non-empty str or None", TypeError)
    check_mapping("info", args["info"])
    bus = args["bus"]
    if bus is not None and not isinstance(bus, EventBus):
        raise _bad("bus", bus, "a palaver.events.EventBus or None", TypeError)
    board = args["bulletin_board"]
    if board is not None and not isinstance(board, BulletinBoard):
        raise _bad("bulletin_board", board, "a palaver.world.BulletinBoard or None", TypeError)
    awi_type = args["awi_type"]
    if isinstance(awi_type, str):
        awi_type = _import_awi(awi_type, AgentWorldInterface)
    if awi_type is not None and not (
        isinstance(awi_type, type) and issubclass(awi_type, AgentWorldInterface)
    ):
        raise _bad(
            "awi_type",
            awi_type,
            "AgentWorldInterface or a subclass of it, its dotted name, or None",
            TypeError,
        )
    out["awi_type"] = awi_type
    recorder = args["recorder"]
    if recorder is not None and not callable(getattr(recorder, "attach", None)):
        raise _bad("recorder", recorder, "an object with attach(world), or None", TypeError)
    operations = args["operations"]
    if operations is not None and (
        isinstance(operations, str | bytes) or not hasattr(operations, "__iter__")
    ):
        raise _bad("operations", operations, "a list of Operations (or their names)", TypeError)
    if operations is not None:
        out["operations"] = list(operations)
        if not out["operations"]:
            raise _bad("operations", operations, "a non-empty list of Operations (or their names)")
    return out


@functools.lru_cache(maxsize=4096)
def check_user_event_type(name: str) -> bool:
    """Refuse a user event type (``record_event``) that looks like a misspelt
    built-in one, as :func:`check_event_type` does for a listener's: such an
    event could not be listened to. Names found fine are remembered, so a
    name recorded every step is checked once."""
    check_event_type("type", name)
    return True


def check_event_type(parameter: str, name: str) -> None:
    """Refuse an event type name that looks like a misspelt built-in one.

    User events may use any other name (``record_event``), so an unknown name
    is allowed; one this close to a built-in type (``contract_signd``) would
    select no event at all, silently.
    """
    if name == "":
        # record_event refuses an empty type, so no event could ever match.
        raise WorldParameterError(
            f"{parameter}='' is not an event type: give a type name, or None for every event"
        )
    known = [str(t) for t in EventType]
    if name in known:
        return
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
    if close:
        raise WorldParameterError(
            f"{parameter}={name!r} is not an event type; did you mean {close[0]!r}? "
            f"The built-in types are {known} (a user event type may use any other "
            "name, not one this close to a built-in one)"
        )
