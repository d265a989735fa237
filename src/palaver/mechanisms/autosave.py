"""NegMAS's automatic mechanism checkpoints (``checkpoint_folder=`` and friends).

A mechanism given ``checkpoint_folder`` saves itself with its
:meth:`~palaver.mechanisms.Mechanism.checkpoint` before every
``checkpoint_every``-th round (rounds 0, k, 2k, ...; every round when it is 1)
and once more when the negotiation ends; ``checkpoint_every < 1`` saves
nothing. ``checkpoint_filename`` names the file (``<class>.<id>`` when
``None``), ``single_checkpoint=True`` keeps only the latest one (else each is
prefixed with its five-digit round), ``extra_checkpoint_info`` is written into
the information sidecar, and ``exist_ok`` allows overwriting (implied by
``single_checkpoint``, as in NegMAS). Without ``checkpoint_folder`` (the
default) the other options change nothing, and the mechanism pays nothing;
a value of the wrong type is refused all the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from palaver._util.checks import check_bool, check_int, check_optional_str
from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError


class AutoCheckpoints:
    """When and how a mechanism checkpoints itself (see the module)."""

    __slots__ = ("every", "exist_ok", "file_name", "folder", "info", "single")

    def __init__(
        self,
        every: int,
        folder: str | Path,
        file_name: str | None,
        info: dict[str, Any] | None,
        single: bool,
        exist_ok: bool,
    ) -> None:
        self.every = check_int("checkpoint_every", every, type_error=MechanismTypeError)
        if not isinstance(folder, str | Path):
            raise MechanismTypeError(
                f"checkpoint_folder must be a str, a Path or None, got {folder!r}"
            )
        if folder == "":
            # Path("") is the current folder: checkpoints would land there unasked.
            raise MechanismValueError(
                "checkpoint_folder must be a folder path, got '' (give '.' for the current "
                "folder, or None for no checkpoints)"
            )
        self.folder = Path(folder)
        self.file_name = check_optional_str(
            "checkpoint_filename", file_name, type_error=MechanismTypeError
        )
        if self.file_name == "":
            raise MechanismValueError(
                "checkpoint_filename must be a non-empty file name or None (a name made "
                "from the mechanism's), got ''"
            )
        if info is not None and not isinstance(info, dict):
            raise MechanismValueError(f"extra_checkpoint_info must be a dict or None, got {info!r}")
        self.info = dict(info) if info is not None else None
        self.single = check_bool("single_checkpoint", single, type_error=MechanismTypeError)
        self.exist_ok = check_bool("exist_ok", exist_ok, type_error=MechanismTypeError)

    def save(self, mechanism: Any, step: int) -> Path | None:
        """Checkpoint ``mechanism`` when round ``step`` is due; the file, or ``None``."""
        every = self.every
        if every < 1 or step % every:
            return None
        return self._write(mechanism)

    def save_final(self, mechanism: Any) -> Path | None:
        """Checkpoint ``mechanism`` once it ended (unless checkpoints are off)."""
        if self.every < 1:
            return None
        return self._write(mechanism)

    def _write(self, mechanism: Any) -> Path:
        path: Path = mechanism.checkpoint(
            self.folder,
            file_name=self.file_name,
            info=self.info,
            exist_ok=self.exist_ok or self.single,
            single_checkpoint=self.single,
        )
        return path
