"""NegMAS's files in a tournament folder, beside Palaver's own.

NegMAS scripts read a tournament folder's ``config.yaml`` (the tournament's
configuration), ``details.<ext>`` (one row per negotiation),
``all_scores.<ext>`` (one row per scored negotiator), ``type_scores.csv``
(``scores_summary``) and ``scores.csv`` (``final_scores``). The NegMAS
``cartesian_tournament`` writes them, from the frames of its results, when it
is given a ``path``; Palaver's own tables (``tournament.json``,
``manifest.jsonl``, ``negotiations/``, ``parties/``, ...) stay what the folder
is resumed and loaded from, so these files are a view written once at the end.

``storage_format`` is ``csv``, ``gzip`` (``.csv.gz``) or ``parquet``; without
one it follows ``storage_optimization`` as in NegMAS (``speed``: csv,
``balanced``: gzip, ``space``: parquet). ``space`` (NegMAS's default) leaves
``all_scores`` out (it is rebuilt from ``details``). ``config.yaml`` needs
PyYAML; without it ``config.json`` is written instead, with a
``TournamentWarning`` saying so.
"""

from __future__ import annotations

import ast
import importlib
import json
import math
import numbers
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "ALL_RESULTS_BASE_NAME",
    "ALL_SCORES_BASE_NAME",
    "CONFIG_FILE_NAME",
    "FINAL_SCORES_BASE_NAME",
    "RESULTS_DIR_NAME",
    "TOURNAMENT_DIRS",
    "TOURNAMENT_FILES",
    "TYPE_SCORES_BASE_NAME",
    "combine_configs",
    "find_dataframe_file",
    "from_text",
    "json_columns",
    "load_dataframe",
    "optimization_level",
    "plain_data",
    "read_config",
    "save_dataframe",
    "saved_metric_columns",
    "storage_format_of",
    "write_config",
    "write_frames",
]

ALL_SCORES_BASE_NAME = "all_scores"
ALL_RESULTS_BASE_NAME = "details"
TYPE_SCORES_BASE_NAME = "type_scores"
FINAL_SCORES_BASE_NAME = "scores"
CONFIG_FILE_NAME = "config.yaml"
RESULTS_DIR_NAME = "results"
#: NegMAS's folder names and file names (with its default extension, ``.parquet``).
TOURNAMENT_DIRS = ["scenarios", "negotiator_behavior", "plots", "negotiations", RESULTS_DIR_NAME]
TOURNAMENT_FILES = [
    f"{name}.parquet"
    for name in (
        ALL_SCORES_BASE_NAME,
        ALL_RESULTS_BASE_NAME,
        TYPE_SCORES_BASE_NAME,
        FINAL_SCORES_BASE_NAME,
    )
]

_EXTENSIONS = {"parquet": ".parquet", "gzip": ".csv.gz", "csv": ".csv"}
_LEVELS = {"speed": "speed", "time": "speed", "none": "speed", "balanced": "balanced",
           "space": "space", "max": "space"}  # fmt: skip
_DEFAULT_FORMAT = {"speed": "csv", "balanced": "gzip", "space": "parquet"}


def optimization_level(name: str, level: Any) -> str:
    """NegMAS's optimization level (``speed``, ``balanced``, ``space``; ``time``
    and ``none`` mean ``speed``, ``max`` means ``space``); anything else is a
    ``ValueError`` naming ``name``."""
    if level not in _LEVELS:
        raise ValueError(f"{name} must be one of {sorted(_LEVELS)}, got {level!r}")
    return _LEVELS[level]


def storage_format_of(storage_format: Any, storage_optimization: str) -> str:
    """The storage format given, or the one ``storage_optimization`` implies."""
    if storage_format is None:
        return _DEFAULT_FORMAT[storage_optimization]
    if storage_format not in _EXTENSIONS:
        raise ValueError(
            f"storage_format must be one of {sorted(_EXTENSIONS)} or None, got {storage_format!r}"
        )
    return str(storage_format)


def find_dataframe_file(path: Path, base_name: str) -> Path | None:
    """The file holding ``base_name`` in ``path`` (``.parquet``, ``.csv.gz`` or
    ``.csv``, in that order), or ``None``."""
    for ext in _EXTENSIONS.values():
        candidate = Path(path) / f"{base_name}{ext}"
        if candidate.exists():
            return candidate
    return None


def json_columns(frame: Any) -> tuple[Any, list[str]]:
    """A copy of ``frame`` that Parquet can store: every object column holding a
    value that is not a plain scalar becomes text (lists, tuples and dicts as
    JSON, anything else by ``str``); returns it and the columns written as JSON."""
    out = frame.copy()
    converted = []
    for col in out.columns:
        if out[col].dtype != object:
            continue
        values = out[col].dropna()
        if not any(not _scalar(v) for v in values):
            continue
        out[col] = out[col].map(_text)
        if any(isinstance(v, list | tuple | dict) for v in values):
            converted.append(col)
    return out, converted


def write_frames(view: Any, root: Path, storage_optimization: str, storage_format: str) -> None:
    """Write ``view``'s frames as NegMAS's files in ``root`` (see module doc)."""
    root.mkdir(parents=True, exist_ok=True)
    frames = [(view.details, ALL_RESULTS_BASE_NAME)]
    if storage_optimization != "space":
        frames.append((view.scores, ALL_SCORES_BASE_NAME))
    for frame, base in frames:
        if len(frame):
            save_dataframe(frame, root, base, storage_format)
    for frame, base in ((view.scores_summary, TYPE_SCORES_BASE_NAME),
                        (view.final_scores, FINAL_SCORES_BASE_NAME)):  # fmt: skip
        if len(frame):
            frame.to_csv(root / f"{base}.csv", index_label="index")


def save_dataframe(frame: Any, root: Path, base_name: str, storage_format: str) -> Path:
    """Write ``frame`` as ``root/<base_name><ext>`` in ``storage_format`` (with
    its index; Parquet through :func:`json_columns`); return the file."""
    fmt = storage_format_of(storage_format, "space")
    target = Path(root) / f"{base_name}{_EXTENSIONS[fmt]}"
    if fmt == "parquet":
        json_columns(frame.reset_index(drop=False))[0].to_parquet(target, index=False)
    else:
        frame.to_csv(target, index_label="index", compression="gzip" if fmt == "gzip" else None)
    return target


def load_dataframe(root: Path, base_name: str) -> Any:
    """The frame :func:`save_dataframe` wrote (any format; ``None`` without
    one), its list and dict columns read back from their text."""
    file = find_dataframe_file(root, base_name)
    if file is None:
        return None
    import pandas as pd

    if file.suffix == ".parquet":
        frame = pd.read_parquet(file)
        frame = frame.set_index("index") if "index" in frame.columns else frame
    else:
        frame = pd.read_csv(file, index_col=0)
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].map(from_text).astype(object)
    return frame


def saved_metric_columns(root: Path, config: Mapping[str, Any], scores: Any) -> dict[str, Any]:
    """The ``raw_aggregated_metrics`` columns of the ``all_scores`` file in
    ``root``, for ``scores`` (the frame rebuilt from Palaver's tables, which
    cannot recompute them: the functions are not stored, only their names in
    ``config``). The file was written from the same tables, so its rows are
    the rebuilt rows in order; when they do not line up (another number of
    rows, or other strategies, negotiator ids or scenarios) nothing is taken,
    with a ``TournamentWarning``. Empty without such metrics or the file
    (``storage_optimization="space"`` does not write it, as in NegMAS)."""
    names = [str(n) for n in (config.get("raw_aggregated_metrics") or {})]
    names = [n for n in names if n not in scores.columns]
    if not names:
        return {}
    saved = load_dataframe(root, ALL_SCORES_BASE_NAME)
    if saved is None:
        return {}
    keys = ("strategy", "negotiator_id", "scenario")
    aligned = len(saved) == len(scores) and all(
        k in saved.columns and [str(v) for v in saved[k]] == [str(v) for v in scores[k]]
        for k in keys
    )
    missing = [n for n in names if n not in saved.columns]
    if not aligned or missing:
        from palaver.tournaments.runner import TournamentWarning

        why = f"it lacks {missing}" if aligned else f"its rows do not match the tables' {keys}"
        warnings.warn(
            f"{root}: the raw_aggregated_metrics columns {names} are not read from the "
            f"{ALL_SCORES_BASE_NAME} file ({why}); they are absent from scores",
            TournamentWarning,
            stacklevel=3,
        )
        return {}
    return {n: saved[n].to_numpy() for n in names}


def from_text(value: Any) -> Any:
    """A list, tuple or dict written as text (JSON, or Python's literal form as
    pandas writes them to CSV) read back; any other value as it is."""
    if not isinstance(value, str) or value[:1] not in ("[", "(", "{"):
        return value
    try:
        return json.loads(value)
    except ValueError:
        pass
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return value


def write_config(root: Path, config: Mapping[str, Any]) -> Path:
    """Write ``config`` as ``config.yaml`` (``config.json`` without PyYAML, with
    a ``TournamentWarning``); return the file written."""
    plain = plain_data(config)
    try:
        yaml = importlib.import_module("yaml")
    except ImportError:
        from palaver.tournaments.runner import TournamentWarning

        target = root / "config.json"
        target.write_text(json.dumps(plain, indent=2), encoding="utf-8")
        warnings.warn(
            f"PyYAML is not installed: the tournament's configuration is {target}, "
            f"not {CONFIG_FILE_NAME} (pip install pyyaml)",
            TournamentWarning,
            stacklevel=3,
        )
        return target
    target = root / CONFIG_FILE_NAME
    target.write_text(yaml.safe_dump(plain, sort_keys=False), encoding="utf-8")
    return target


def read_config(root: Path) -> dict[str, Any] | None:
    """The configuration written by :func:`write_config`, or ``None`` without one."""
    yaml_file, json_file = root / CONFIG_FILE_NAME, root / "config.json"
    if yaml_file.is_file():
        yaml = importlib.import_module("yaml")
        loaded = yaml.safe_load(yaml_file.read_text(encoding="utf-8"))
        return dict(loaded) if isinstance(loaded, Mapping) else None
    if json_file.is_file():
        return dict(json.loads(json_file.read_text(encoding="utf-8")))
    return None


_MUST_MATCH = ("competitors", "competitor_names", "competitor_params",
               "opponents", "opponent_names", "opponent_params")  # fmt: skip


def combine_configs(
    configs: Sequence[Mapping[str, Any]], n_unique_scenarios: int
) -> dict[str, Any]:
    """One configuration for tournaments combined: a value all share is kept,
    one that differs is ``None``; ``n_scenarios`` is ``n_unique_scenarios``
    and ``path`` is ``None`` (no single folder; kept for one configuration).
    Tournaments whose competitors or opponents (types, names, parameters)
    differ are refused (``ValueError`` naming the key and both values)."""
    if not configs:
        return {}
    if len(configs) == 1:
        return {**configs[0], "n_scenarios": n_unique_scenarios}
    first = configs[0]
    for i, cfg in enumerate(configs[1:], 2):
        for key in _MUST_MATCH:
            if cfg.get(key) != first.get(key):
                raise ValueError(
                    f"cannot combine tournaments with different {key}: tournament 1 has "
                    f"{first.get(key)!r}, tournament {i} has {cfg.get(key)!r}"
                )
    keys = list(dict.fromkeys(k for cfg in configs for k in cfg))
    out: dict[str, Any] = {}
    for key in keys:
        values = [cfg[key] for cfg in configs if key in cfg]
        out[key] = values[0] if all(v == values[0] for v in values) else None
    out["n_scenarios"] = n_unique_scenarios
    out["path"] = None
    return out


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | bytes | bool | int | float)


def _text(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, list | tuple | dict):
        try:
            return json.dumps(value, default=str)
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def plain_data(value: Any) -> Any:
    """``value`` as YAML/JSON data: tuples as lists, numpy numbers as Python's,
    classes and functions by name, other objects by their text."""
    if isinstance(value, Mapping):
        return {str(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(v) for v in value]
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    if callable(value):
        return getattr(value, "__qualname__", str(value))
    return str(value)
