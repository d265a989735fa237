"""Building Arrow arrays from Python values without ``pyarrow.array``.

``pyarrow.array`` checks every input against pandas, which imports pandas
(about 0.7 s and 40 MB) the first time, whether or not the caller uses it. The
recorder's write path builds its few column kinds directly from buffers
instead, with C-level loops (``map``, ``fromiter``) only.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from itertools import compress, repeat
from typing import Any, cast

import numpy as np
import pyarrow as pa

_INT64 = pa.int64()


def _validity(values: Sequence[object], n: int) -> pa.Buffer:
    mask = np.fromiter(map(operator.is_not, values, repeat(None)), dtype=bool, count=n)
    return pa.py_buffer(np.packbits(mask, bitorder="little"))


@functools.lru_cache(maxsize=16)
def nulls(n: int, type: pa.DataType) -> pa.Array:
    """An all-null array (shared: arrays are immutable, and the same-sized
    batches of a Mesa model all have the same null id columns)."""
    return pa.nulls(n, type)


def int64_array(values: Sequence[int | None] | np.ndarray, type: pa.DataType = _INT64) -> pa.Array:
    """An int64-backed array (``type`` may be a timestamp) from ints or ``None``."""
    n = len(values)
    if isinstance(values, np.ndarray):
        if values.dtype != np.int64:
            values = values.astype(np.int64)
        return pa.Array.from_buffers(type, n, [None, pa.py_buffer(values)])
    missing = values.count(None)
    if missing == n:
        return nulls(n, type)
    validity = None
    if missing:
        validity = _validity(values, n)
        values = [0 if v is None else v for v in values]
    data = np.fromiter(values, np.int64, n)
    return pa.Array.from_buffers(type, n, [validity, pa.py_buffer(data)])


def string_array(values: Sequence[str | None]) -> pa.Array:
    """A ``string`` array from ``str`` or ``None`` values."""
    n = len(values)
    missing = values.count(None)  # cheap when values are None (an identity test)
    if missing == n:
        return nulls(n, pa.string())
    if not missing:
        return text_array(cast("Sequence[str]", values))
    mask = np.fromiter(map(operator.is_not, values, repeat(None)), dtype=bool, count=n)
    present = cast("list[str]", list(compress(values, mask)))
    data, lengths = _utf8(present)
    all_lengths = np.zeros(n, np.int32)
    all_lengths[mask] = lengths
    validity = pa.py_buffer(np.packbits(mask, bitorder="little"))
    return _from_lengths(n, validity, all_lengths, data)


def text_array(texts: Sequence[str]) -> pa.Array:
    """A ``string`` array without nulls (event content, ...)."""
    data, lengths = _utf8(texts)
    return _from_lengths(len(texts), None, lengths, data)


def json_array(texts: Sequence[str]) -> pa.Array:
    """A ``string`` array of JSON texts where ``""`` stands for null.

    JSON text is never empty, so the empty string is a free null marker: the
    column is built like any text column, with no per-value ``None`` test.
    """
    n = len(texts)
    data, lengths = _utf8(texts)
    if not data:
        return nulls(n, pa.string())
    empty = lengths == 0
    validity = pa.py_buffer(np.packbits(~empty, bitorder="little")) if empty.any() else None
    return _from_lengths(n, validity, lengths, data)


def _utf8(texts: Sequence[str]) -> tuple[bytes, np.ndarray]:
    # One join and one encode for all values; per-value lengths come from the
    # text lengths when the whole is ASCII (the usual case for JSON text).
    joined = "".join(texts)
    data = joined.encode("utf-8")
    if len(data) == len(joined):
        return data, np.fromiter(map(len, texts), np.int32, len(texts))
    return data, np.fromiter((len(v.encode("utf-8")) for v in texts), np.int32, len(texts))


def _from_lengths(n: int, validity: pa.Buffer | None, lengths: np.ndarray, data: bytes) -> pa.Array:
    offsets = np.zeros(n + 1, np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.Array.from_buffers(
        pa.string(), n, [validity, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


class Coder:
    """Codes repeated values (agent ids, event types) as indices into a growing
    dictionary, so a batch column is one C-level lookup pass plus an Arrow take."""

    def __init__(self) -> None:
        self.codes: dict[object, int] = {}
        self.keys: list[str | None] = []
        self._dictionary: pa.Array | None = None

    def encode(self, values: Sequence[object]) -> tuple[np.ndarray, list[object]]:
        """The code of each value, and the values seen for the first time."""
        lookup = self.codes.__getitem__
        try:
            return np.fromiter(map(lookup, values), np.int32, len(values)), []
        except KeyError:
            fresh = [v for v in dict.fromkeys(values) if v not in self.codes]
        for value in fresh:
            self.codes[value] = len(self.keys)
            self.keys.append(None if value is None else str(value))
        self._dictionary = None
        return np.fromiter(map(lookup, values), np.int32, len(values)), fresh

    def array(self, codes: np.ndarray) -> pa.Array:
        """The ``string`` array of the coded values (nulls where the value was ``None``)."""
        if self._dictionary is None:
            self._dictionary = string_array(self.keys)
        indices = pa.Array.from_buffers(pa.int32(), len(codes), [None, pa.py_buffer(codes)])
        return self._dictionary.take(indices)


def valid_mask(array: pa.Array) -> np.ndarray:
    """A numpy bool array, True where ``array`` is not null.

    Unpacks the validity bitmap directly instead of ``to_numpy``, which
    imports pandas on its first call.
    """
    n = len(array)
    bitmap = array.buffers()[0]
    if bitmap is None or not array.null_count:
        return np.ones(n, dtype=bool)
    bits = np.unpackbits(np.frombuffer(bitmap, np.uint8), bitorder="little")
    return bits[array.offset : array.offset + n].astype(bool)


def numpy_values(array: pa.Array, dtype: type[np.generic]) -> np.ndarray:
    """The values of a null-free fixed-width array as numpy, without copying.

    ``Array.to_numpy`` imports pandas on its first call (about 0.7 s and 40 MB).
    """
    itemsize = np.dtype(dtype).itemsize
    return np.frombuffer(array.buffers()[1], dtype, len(array), array.offset * itemsize)


def dictionary_codes(values: pa.Array) -> tuple[np.ndarray, list[Any]]:
    """The dictionary code of each value (-1 for nulls) and the distinct values."""
    encoded = values.dictionary_encode()
    indices = encoded.indices
    codes = numpy_values(indices, np.int32).copy()
    if indices.null_count:
        codes[~valid_mask(indices)] = -1
    return codes, encoded.dictionary.to_pylist()
