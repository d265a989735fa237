"""Checking a tournament folder completely, without running anything.

:func:`check_folder` reads a world tournament's results folder or a negotiation
tournament's folder the way a resume would and says what is wrong: what it
returns is exactly what a resume would run again (or refuse).
"""

from __future__ import annotations

from pathlib import Path

from palaver.tournaments.parts import MANIFEST, TournamentFolderError, read_manifest

__all__ = ["check_folder"]


def check_folder(path: str | Path) -> dict[str, str]:
    """What is wrong in the tournament folder ``path`` (``{}``: nothing), by piece
    (a world id, a file relative to the folder, or the folder itself) -> why.

    A world tournament's manifest must be intact (its checksum), and every
    finished world's parts readable with their page checksums and matching the
    SHA-256 its ``worlds/`` row records. A negotiation tournament's
    ``tournament.json`` and ``manifest.jsonl`` lines must be intact, and every
    file a line lists there with the SHA-256 it records.
    """
    from palaver.tournaments.negotiation.folder import MANIFEST as NEGOTIATION_MANIFEST
    from palaver.tournaments.negotiation.folder import SETUP, read_entries, read_setup
    from palaver.tournaments.negotiation.results import TournamentResultsError
    from palaver.tournaments.parts import worlds_and_problems

    root = Path(path)
    if (root / SETUP).exists():
        try:
            read_setup(root)
        except TournamentResultsError as exc:
            return {SETUP: str(exc)}
        try:
            return read_entries(root)[1]
        except TournamentResultsError as exc:  # the manifest is not a regular file
            return {NEGOTIATION_MANIFEST: str(exc)}
    if not (root / MANIFEST).exists():
        return {str(root): f"not a tournament folder (no {MANIFEST} and no {SETUP})"}
    try:
        read_manifest(root)
    except TournamentFolderError as exc:
        return {MANIFEST: str(exc)}
    return worlds_and_problems(root)[1]
