"""NegMAS's ``cartesian_tournament`` keywords that Palaver spells differently.

A NegMAS script passes ``njobs``, ``verbosity``, ``mechanism_type``,
``randomize_runs`` or ``save_every``; each is either translated to Palaver's
own option or refused with a ``ValueError`` naming the keyword, the value,
what is allowed and why:

- ``njobs`` (NegMAS: ``-1`` serial, ``0`` all cores, ``n`` processes) chooses
  the executor: ``njobs < 0`` is ``executor="serial"``, ``njobs=0`` is
  ``executor="process"`` with one worker per core, ``njobs=n`` is
  ``executor="process", workers=n`` (with ``executor="ray"``: ``n`` Ray
  workers). It cannot be given with ``workers``, nor contradict ``executor``.
- ``verbosity`` (NegMAS: ``0`` silent, higher shows more) sets ``progress``:
  ``0`` is no progress line, ``1`` or more the progress line. Not with
  ``progress``.
- ``mechanism_type`` must be :class:`~palaver.mechanisms.SAOMechanism` (the
  one protocol a negotiation tournament plays); anything else is refused
  rather than silently played as SAO.
- ``randomize_runs`` (NegMAS: run the negotiations in a random order) is
  accepted, ``True`` or ``False``, and changes nothing: every negotiation's
  seed comes from its position, never from the order it runs in, so the order
  cannot change a result.
- ``save_every`` (NegMAS: save every ``n`` negotiations) needs ``path``:
  with a path Palaver writes every batch of negotiations as soon as it ends,
  which is at least as often. Without a path, ``save_every > 0`` is refused
  (there is nowhere to save); ``0`` (NegMAS: no periodic saving) is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ExecutionChoice", "from_negmas"]


@dataclass(frozen=True)
class ExecutionChoice:
    """The executor, workers and progress flag after NegMAS's keywords are applied
    (checked by the tournament's own checks afterwards, as if given directly)."""

    executor: Any
    workers: Any
    progress: Any


def _int(name: str, value: Any, allowed: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return int(value)


def from_negmas(
    *,
    executor: Any,
    workers: Any,
    progress: Any,
    path: Any,
    njobs: Any = None,
    verbosity: Any = None,
    mechanism_type: Any = None,
    randomize_runs: Any = None,
    save_every: Any = None,
) -> ExecutionChoice:
    """Apply NegMAS's keywords (``None``: not given) to Palaver's options."""
    if njobs is not None:
        njobs = _int("njobs", njobs, "an integer (-1: serial, 0: all cores, n: n processes)")
        if workers is not None:
            raise ValueError(
                f"give workers or NegMAS's njobs, not both (workers={workers!r}, njobs={njobs!r})"
            )
        if njobs < 0:
            if executor not in (None, "serial"):
                raise ValueError(
                    f"njobs={njobs} asks for a serial run but executor={executor!r}; "
                    "drop one of them"
                )
            executor = "serial"
        else:
            if executor == "serial":
                raise ValueError(
                    f"njobs={njobs} asks for parallel workers but executor='serial'; "
                    "use executor='process' or 'ray', or njobs=-1"
                )
            executor = executor or "process"
            workers = njobs or None
    if verbosity is not None:
        verbosity = _int("verbosity", verbosity, "an integer >= 0 (0: silent)")
        if verbosity < 0:
            raise ValueError(f"verbosity must be an integer >= 0 (0: silent), got {verbosity}")
        if progress is not None:
            raise ValueError(
                f"give progress or NegMAS's verbosity, not both (progress={progress!r}, "
                f"verbosity={verbosity})"
            )
        progress = verbosity > 0
    if mechanism_type is not None:
        from palaver.mechanisms import SAOMechanism

        if mechanism_type is not SAOMechanism:
            raise ValueError(
                f"mechanism_type must be palaver.mechanisms.SAOMechanism (a negotiation "
                f"tournament plays SAO only), got {mechanism_type!r}; its options go in "
                "mechanism_params"
            )
    if randomize_runs is not None and not isinstance(randomize_runs, bool):
        raise ValueError(
            f"randomize_runs must be True or False (it changes nothing: results never "
            f"depend on the order negotiations run in), got {randomize_runs!r}"
        )
    if save_every is not None:
        save_every = _int("save_every", save_every, "an integer >= 0")
        if save_every < 0:
            raise ValueError(f"save_every must be an integer >= 0, got {save_every}")
        if save_every > 0 and path is None:
            raise ValueError(
                f"save_every={save_every} asks for periodic saving but no path is given; "
                "pass path=... (every batch is then written as soon as it ends)"
            )
    return ExecutionChoice(
        "serial" if executor is None else executor,
        workers,
        False if progress is None else progress,
    )
