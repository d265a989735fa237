"""The three tables of a negotiation tournament's batch: columns filled negotiation
by negotiation, turned into Arrow tables with fixed schemas, and written as one
Parquet file each (page checksums; their SHA-256 goes to the folder's manifest)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import orjson

__all__ = ["Columns", "build_tables", "outcome_json", "outcomes_table", "schema", "write_batch"]


class Columns:
    """Column lists of the three tables, filled negotiation by negotiation."""

    def __init__(self) -> None:
        #: One tuple per negotiation, in the order of the negotiations table's
        #: columns (:func:`schema`); tuples rather than dicts: a batch's rows
        #: are transposed into columns at once, with no lookup per cell.
        self.neg: list[tuple[Any, ...]] = []
        #: One tuple per party of each negotiation, in the parties table's order.
        self.party: list[tuple[Any, ...]] = []
        self.offer: dict[str, Any] = {
            k: []
            for k in (
                "negotiation_id",
                "scenario",
                "round",
                "position",
                "competitor",
                "outcome_index",
                "utility",
            )
        }


def outcome_json(outcome: tuple[Any, ...]) -> str:
    """An outcome as JSON text (a list of its values)."""
    try:
        return orjson.dumps(list(outcome)).decode()
    except TypeError:  # values JSON does not know: their text
        return json.dumps(list(outcome), default=str)


_COLUMNS = {
    "negotiations": (
        ("negotiation_id", "string"), ("index", "int64"), ("scenario", "string"),
        ("scenario_index", "int32"), ("rotation", "int32"), ("repetition", "int32"),
        ("partners", "string"), ("n_steps", "int64"), ("time_limit", "float64"),
        ("seed", "int64"), ("result", "string"), ("agreement", "string"),
        ("agreement_index", "int64"), ("rounds", "int64"), ("welfare", "float64"),
        ("pareto_distance", "float64"), ("nash_distance", "float64"),
        ("kalai_distance", "float64"), ("ks_distance", "float64"),
        ("erred_negotiator", "string"), ("error", "string"), ("cpu_time", "float64"),
        ("wall_time", "float64"),
    ),
    "parties": (
        ("negotiation_id", "string"), ("scenario", "string"), ("repetition", "int32"),
        ("position", "int32"), ("competitor", "string"), ("partners", "string"),
        ("ufun", "int32"), ("ufun_name", "string"), ("reserved_value", "float64"),
        ("max_utility", "float64"), ("utility", "float64"), ("advantage", "float64"),
        ("agreement", "bool"), ("rounds", "int64"), ("result", "string"),
    ),
}  # fmt: skip


def schema(name: str, extra: Sequence[str] = ()) -> Any:
    """The Arrow schema of table ``name``, then ``extra`` float columns (the
    opponent-model scores of the parties table, when asked for)."""
    import pyarrow as pa

    columns = [*_COLUMNS[name], *((column, "float64") for column in extra)]
    return pa.schema([(column, pa.type_for_alias(kind)) for column, kind in columns])


def _from_rows(rows: list[tuple[Any, ...]], table_schema: Any) -> Any:
    """A table of ``table_schema`` from rows given as tuples in its column order."""
    import pyarrow as pa

    columns = list(zip(*rows, strict=True)) if rows else [()] * len(table_schema)
    if len(columns) != len(table_schema):
        raise ValueError(f"rows have {len(columns)} values, the table {len(table_schema)} columns")
    return pa.Table.from_arrays(
        [pa.array(c, f.type) for c, f in zip(columns, table_schema, strict=True)],
        schema=table_schema,
    )


def build_tables(
    cols: Columns, offers: bool, competitors: list[str], party_extra: Sequence[str] = ()
) -> dict[str, Any]:
    import pyarrow as pa

    tables: dict[str, Any] = {
        # Explicit schemas: a column that is empty in one batch (no error
        # anywhere) must have the same type as in the others.
        "negotiations": _from_rows(cols.neg, schema("negotiations")),
        "parties": _from_rows(cols.party, schema("parties", party_extra)),
    }
    if offers:
        o = cols.offer
        if o["round"]:
            # Dictionary-encoded: a few distinct values over millions of rows.
            ids = pa.DictionaryArray.from_arrays(
                np.repeat(
                    np.arange(len(o["negotiation_id"]), dtype=np.int32),
                    [n for _, n in o["negotiation_id"]],
                ),
                pa.array([i for i, _ in o["negotiation_id"]]),
            )
            scen = pa.DictionaryArray.from_arrays(
                np.repeat(
                    np.arange(len(o["scenario"]), dtype=np.int32), [n for _, n in o["scenario"]]
                ),
                pa.array([s for s, _ in o["scenario"]]),
            )
            tables["offers"] = pa.table(
                {
                    "negotiation_id": ids,
                    "scenario": scen,
                    "round": np.concatenate(o["round"]),
                    "position": np.concatenate(o["position"]),
                    "competitor": pa.DictionaryArray.from_arrays(
                        np.concatenate(o["competitor"]), pa.array(competitors, pa.string())
                    ),
                    "outcome_index": np.concatenate(o["outcome_index"]),
                    "utility": np.concatenate(o["utility"]),
                }
            )
        else:
            text = pa.dictionary(pa.int32(), pa.string())
            tables["offers"] = pa.table(
                {
                    "negotiation_id": pa.array([], text),
                    "scenario": pa.array([], text),
                    "round": pa.array([], pa.int32()),
                    "position": pa.array([], pa.int8()),
                    "competitor": pa.array([], text),
                    "outcome_index": pa.array([], pa.int32()),
                    "utility": pa.array([], pa.float64()),
                }
            )
    return tables


def write_batch(
    root: Path, batch: str, tables: dict[str, Any]
) -> tuple[dict[str, str], dict[str, str]]:
    """One Parquet file per table for this batch, each written atomically with page
    checksums; their paths (relative to ``root``) and SHA-256, by table name."""
    from palaver._util.atomic import write_bytes
    from palaver.tournaments.integrity import encode_part

    files, digests = {}, {}
    for name, table in tables.items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"{batch}.parquet"
        # A batch's negotiations and parties are a few hundred rows: Parquet's
        # dictionary pages cost more there (a third of the writing) than zstd
        # saves without them. The offers keep theirs (millions of rows).
        data, digests[name] = encode_part(
            table, compression="zstd", use_dictionary=name == "offers"
        )
        write_bytes(final, data)
        files[name] = str(final.relative_to(root))
    return files, digests


def outcomes_table(scenarios: Sequence[Any]) -> Any:
    """Every outcome of every scenario (scenario, outcome_index, outcome as JSON text)."""
    import pyarrow as pa

    from palaver.mechanisms.table import outcome_table

    names: list[str] = []
    idx: list[int] = []
    text: list[str] = []
    for s in scenarios:
        table = outcome_table(s.outcome_space)
        if table is None:
            continue
        names.extend([s.name] * len(table.outcomes))
        idx.extend(range(len(table.outcomes)))
        text.extend(map(outcome_json, table.outcomes))
    return pa.table(
        {
            "scenario": pa.array(names, pa.string()),
            "outcome_index": pa.array(idx, pa.int32()),
            "outcome": pa.array(text, pa.string()),
        }
    )
