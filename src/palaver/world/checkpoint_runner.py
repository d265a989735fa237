"""Browsing the checkpoints a run left in a folder, and forking a run from one of them.

NegMAS's ``CheckpointRunner`` (``negmas.checkpoints``): it lists the steps saved
in a folder (from each checkpoint's ``<file>.json`` sidecar), loads the object
saved at any of them, walks them in order, and forks a loaded object into a new
run with its own checkpoints. It reads Palaver's world checkpoints and the
object checkpoints of agents, negotiators and mechanisms.

Checkpoints are pickles: load only folders you trust.
"""

from __future__ import annotations

import bisect
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from palaver._util.checks import check_bool, checked_path
from palaver._util.snapshots import Checkpointing
from palaver.world.checkpoint import MAGIC, read_sidecar
from palaver.world.errors import CheckpointError, WorldParameterError
from palaver.world.world import World

__all__ = ["CheckpointRunner"]

#: ``callback(loaded_object, step)``, called after each load.
StepCallback = Callable[[Any, int], None]


def _load(file: Path, object_type: type | None) -> Any:
    """The object saved in ``file``: a world or a named object, told apart by the file's header."""
    if object_type is not None:
        return object_type.from_checkpoint(file)  # type: ignore[attr-defined]
    if file.is_file():
        with file.open("rb") as f:
            is_world = f.read(len(MAGIC)) == MAGIC
        if not is_world:
            return Checkpointing.from_checkpoint(file)
    return World.from_checkpoint(file)


def _stored_steps(folder: Path, id: str | None) -> dict[int, Path]:
    """The checkpoint file of each step saved in ``folder`` (of object ``id`` alone, if given)."""
    files: dict[int, Path] = {}
    for sidecar in sorted(folder.glob("*.json")):
        file = sidecar.with_name(sidecar.name[: -len(".json")])
        if not file.exists():
            continue  # a JSON file of its own (stats.json), not a checkpoint's sidecar
        info = read_sidecar(file)
        if id is not None and info.get("id") != id:
            continue
        step = info.get("step")
        if type(step) is not int:
            raise CheckpointError(f"{sidecar} gives no step (step={step!r:.40})")
        if step in files:
            raise CheckpointError(
                f"{folder} holds two checkpoints of step {step} ({files[step].name}, "
                f"{file.name}): pass id= to choose the object whose checkpoints to run"
            )
        files[step] = file
    return files


#: The defaults of :meth:`CheckpointRunner.fork`'s options.
_FORK_DEFAULTS: dict[str, object] = {
    "copy_past_checkpoints": False,
    "every": 1,
    "folder": None,
    "filename": None,
    "info": None,
    "exist_ok": True,
    "single": True,
}


def _not_default(options: dict[str, Any]) -> dict[str, Any]:
    """The fork options given another value than their default (``every`` of 1
    or less counts as the default: a fork without a folder saves nothing either way)."""
    return {
        name: value
        for name, value in options.items()
        if (
            not (type(value) is int and value <= 1)
            if name == "every"
            else value is not _FORK_DEFAULTS[name]
        )
    }


def _check_fork_flags(every: object, **flags: object) -> None:
    """``WorldParameterError`` naming :meth:`CheckpointRunner.fork`'s parameter for
    a flag that is not a bool (``copy_past_checkpoints="no"`` copied the files) or
    an ``every`` that is not an int (the errors named the world's options)."""
    for name, value in flags.items():
        check_bool(f"fork: {name}", value, type_error=WorldParameterError)
    if isinstance(every, bool) or not isinstance(every, int):
        raise WorldParameterError(
            f"fork: every must be an int (a period in steps; 0 or less: no checkpoints), "
            f"got {every!r:.60} ({type(every).__name__})"
        )


class CheckpointRunner:
    """Loads, step by step, the checkpoints a run saved in ``folder`` (NegMAS's).

    Args:
        folder: The folder holding the checkpoints (each with its ``<file>.json``;
            a world saves several with ``single_checkpoint=False``).
        id: Run only the checkpoints of the object with this id (its sidecar's
            ``id``); needed when the folder holds checkpoints of several objects.
        callback: Called as ``callback(loaded_object, step)`` after each load
            (more with :meth:`register_callback`).
        watch: Following a folder as a run writes it is not supported:
            ``True`` raises ``NotImplementedError`` (as in NegMAS).
        object_type: The class whose ``from_checkpoint`` loads the files
            (default: a world's file loads as a ``World``, any other as
            the agent, negotiator or mechanism it holds); a file holding
            something else raises ``CheckpointError``.

    Raises ``NotADirectoryError`` when ``folder`` is not a folder and
    ``CheckpointError`` when a sidecar is damaged, gives no step, or two give
    the same step.
    """

    def __init__(
        self,
        folder: str | Path,
        id: str | None = None,
        callback: StepCallback | None = None,
        watch: bool = False,
        object_type: type | None = None,
    ) -> None:
        if watch:
            raise NotImplementedError("CheckpointRunner cannot watch a folder being written")
        self._folder = checked_path("folder", folder).absolute()
        if not self._folder.is_dir():
            raise NotADirectoryError(
                f"CheckpointRunner folder {str(self._folder)!r} is not a folder"
            )
        if id is not None and not isinstance(id, str):
            raise WorldParameterError(f"id must be a str or None; got {id!r:.80}")
        self._files = _stored_steps(self._folder, id)
        self._steps = sorted(self._files)
        self._object_type = object_type
        self._index = -1
        self._object: Any = None
        self._callbacks: list[StepCallback] = []
        if callback is not None:
            self.register_callback(callback)

    def register_callback(self, callback: StepCallback) -> None:
        """Call ``callback(loaded_object, step)`` after each load from now on."""
        if not callable(callback):
            raise TypeError(f"callback must be callable; got {callback!r:.80}")
        self._callbacks.append(callback)

    @property
    def steps(self) -> list[int]:
        """The stored steps, in order (a copy)."""
        return list(self._steps)

    @property
    def current_step(self) -> int:
        """The step loaded last, or -1 before the first load (and after :meth:`reset`)."""
        return -1 if self._index < 0 else self._steps[self._index]

    @property
    def loaded_object(self) -> Any:
        """The object loaded last (``None`` before the first load)."""
        return self._object

    @property
    def first_step(self) -> int:
        """The first stored step (``ValueError`` when the folder holds none)."""
        return self._steps[0] if self._steps else self._none_stored()

    @property
    def last_step(self) -> int:
        """The last stored step (``ValueError`` when the folder holds none)."""
        return self._steps[-1] if self._steps else self._none_stored()

    @property
    def next_step(self) -> int | None:
        """The stored step after the current one (``None`` after the last)."""
        nxt = self._index + 1
        return self._steps[nxt] if nxt < len(self._steps) else None

    @property
    def previous_step(self) -> int | None:
        """The stored step before the current one (-1 before the first load,
        ``None`` at the first step)."""
        if self._index < 0:
            return -1
        return self._steps[self._index - 1] if self._index > 0 else None

    def _none_stored(self) -> int:
        raise ValueError(f"{self._folder} holds no checkpoints")

    def goto(self, step: int | None, exact: bool = False) -> int | None:
        """Load the checkpoint of ``step``; returns the step loaded, or ``None``
        when that step is already loaded (or ``step`` is ``None``).

        With ``exact=False`` the first stored step at or after ``step`` is
        loaded (as NegMAS does), or the last one when ``step`` is past it (where
        NegMAS raises ``IndexError``); with ``exact=True`` a step that was not
        stored raises ``ValueError``.
        """
        if step is None:
            return None
        if type(step) is not int:
            raise WorldParameterError(f"step must be an int; got {step!r:.80}")
        if exact:
            if step not in self._files:
                raise ValueError(f"step {step} has no checkpoint in {self._folder}")
            index = bisect.bisect_left(self._steps, step)
        else:
            if not self._steps:
                self._none_stored()
            index = min(bisect.bisect_left(self._steps, step), len(self._steps) - 1)
        if index == self._index:
            return None
        found = self._steps[index]
        self._object = _load(self._files[found], self._object_type)
        self._index = index
        for callback in self._callbacks:
            callback(self._object, found)
        return found

    def step(self) -> int | None:
        """Load the next stored step; returns it, or ``None`` after the last one."""
        nxt = self.next_step
        return None if nxt is None else self.goto(nxt, exact=True)

    def run(self) -> None:
        """Load every remaining stored step in order (calling the callbacks at each)."""
        while self.step() is not None:
            pass

    def reset(self) -> None:
        """Go back before the first step (nothing loaded)."""
        self._index = -1
        self._object = None

    def fork(
        self,
        copy_past_checkpoints: bool = False,
        every: int = 1,
        folder: str | Path | None = None,
        filename: str | None = None,
        info: dict[str, Any] | None = None,
        exist_ok: bool = True,
        single: bool = True,
    ) -> Any:
        """A fresh copy of the loaded object to run on (``None`` when nothing is loaded).

        A world copy saves its checkpoints in ``folder`` every ``every`` steps
        (as ``filename``, default the world's ``checkpoint_filename``, keeping
        only the latest with ``single``; ``info`` goes to each sidecar,
        ``exist_ok`` as for a world); without ``folder`` it saves none. Unlike
        NegMAS, which then saves in the current folder, nothing is written
        unasked. ``copy_past_checkpoints`` first copies the stored checkpoints
        up to the current step into ``folder``. Another object (an agent,
        negotiator or mechanism) keeps the checkpoint options it was saved
        with (a mechanism's own ``checkpoint_folder``, as when it is loaded
        with ``from_checkpoint``), so it is forked with the defaults only.

        No option is ignored: ``ValueError`` naming the option and its value
        when it would have no effect, that is any option but the defaults for
        an object other than a world, and ``copy_past_checkpoints``,
        ``every`` above 1, ``filename``, ``info``, ``exist_ok=False`` or
        ``single=False`` for a world forked without ``folder`` (it saves no
        checkpoints). A flag that is not a bool, or an ``every`` that is not an
        int, is a :class:`~palaver.world.WorldParameterError` naming the parameter.
        """
        if self._object is None:
            return None
        _check_fork_flags(
            every, copy_past_checkpoints=copy_past_checkpoints, exist_ok=exist_ok, single=single
        )
        options = {
            "copy_past_checkpoints": copy_past_checkpoints,
            "every": every,
            "folder": folder,
            "filename": filename,
            "info": info,
            "exist_ok": exist_ok,
            "single": single,
        }
        if not isinstance(self._object, World):
            for name, value in _not_default(options).items():
                raise ValueError(
                    f"fork: {name}={value!r:.60} is refused for a {type(self._object).__name__}: "
                    "only a world can be given new checkpoint options (the copy keeps those "
                    "it was saved with); fork it with the defaults"
                )
        elif folder is None:
            for name, value in _not_default(options).items():
                raise ValueError(
                    f"fork: {name}={value!r:.60} needs a folder (folder=): a world forked "
                    "without one saves no checkpoints (Palaver writes nothing unasked)"
                )
        fresh = _load(self._files[self.current_step], self._object_type)
        if not isinstance(fresh, World):
            return fresh
        target = None if folder is None else checked_path("folder", folder).absolute()
        if target is not None:
            target.mkdir(parents=True, exist_ok=True)
        copied: set[str] = set()
        if copy_past_checkpoints and target is not None:
            for step in self._steps[: self._index + 1]:
                file = self._files[step]
                shutil.copy2(file, target / file.name)
                sidecar = file.with_name(file.name + ".json")
                shutil.copy2(sidecar, target / sidecar.name)
                copied.add(str(target / file.name))
        old = fresh.checkpoint_config
        config = replace(
            old,
            checkpoint_every=every if target is not None else 0,
            checkpoint_folder=None if target is None else str(target),
            checkpoint_filename=old.checkpoint_filename if filename is None else filename,
            single_checkpoint=single,
            extra_checkpoint_info=info,
            exist_ok=exist_ok,
        )
        fresh.checkpoint_config = config
        fresh._palaver.checkpoints.restart(config, copied)
        return fresh
