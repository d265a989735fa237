"""A world's constructor arguments from a config (NegMAS's ``World.from_config``):
a dict, or a ``.json``, ``.yaml`` or ``.yml`` file holding one, and a section
of it. Nothing in it is evaluated: values are taken as they are.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from palaver._util.files import read_regular


def world_config(config: Mapping[str, Any] | str | Path, section: str | None) -> dict[str, Any]:
    """The keyword arguments ``config`` (a dict or a config file) gives a world's
    constructor, from its ``section`` when one is named (a new dict)."""
    if isinstance(config, str | Path):
        config = read_world_config(Path(config))
    if not isinstance(config, Mapping):
        raise TypeError(f"a world config is a dict of keyword arguments; got {config!r}")
    if section is not None:
        if section not in config:
            raise ValueError(
                f"section {section!r} is not in the world config; its keys are "
                f"{sorted(map(str, config))}"
            )
        config = config[section]
        if not isinstance(config, Mapping):
            raise TypeError(
                f"section {section!r} of the world config must be a dict of keyword "
                f"arguments; got {config!r:.80}"
            )
    return dict(config)


def read_world_config(path: Path) -> Any:
    """The data of a world config file, read by its suffix (NegMAS's: JSON or YAML)."""
    suffix = path.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise ValueError(
            f"cannot read a world config from {path}: a config file is .json, .yaml or .yml"
        )
    try:
        # Not read_text(): a FIFO would block for ever; it is refused at once.
        text = read_regular(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"cannot read a world config from {path}: {e}") from e
    if suffix == ".json":
        try:
            return json.loads(text)
        except ValueError as e:
            raise ValueError(f"cannot read a world config from {path}: {e}") from e
    try:
        yaml = importlib.import_module("yaml")  # PyYAML: only for YAML configs
    except ImportError as e:
        raise ImportError(f"reading the YAML world config {path} needs PyYAML") from e
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ValueError(f"cannot read a world config from {path}: {e}") from e
