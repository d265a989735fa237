"""Building Arrow arrays from Python values without ``pyarrow.array``.

``pyarrow.array`` checks every input against pandas, which imports pandas
(about 0.7 s and 40 MB) the first time, whether or not the caller uses it. The
recorder's write path builds its few column kinds directly from buffers
instead, with C-level loops (``map``, ``fromiter``) only.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from itertools import repeat
from typing import Any, cast

import numpy as np
import pyarrow as pa

_INT64 = pa.int64()


def _validity(values: Sequence[object], n: int) -> pa.Buffer:
    mask = np.fromiter(map(operator.is_not, values, repeat(None)), dtype=bool, count=n)
    return pa.py_buffer(np.packbits(mask, bitorder="little"))


def int64_array(values: Sequence[int | None] | np.ndarray, type: pa.DataType = _INT64) -> pa.Array:
    """An int64-backed array (``type`` may be a timestamp) from ints or ``None``."""
    n = len(values)
    if isinstance(values, np.ndarray):
        return pa.Array.from_buffers(type, n, [None, pa.py_buffer(values.astype(np.int64))])
    nulls = values.count(None)
    if nulls == n:
        return pa.nulls(n, type)
    validity = None
    if nulls:
        validity = _validity(values, n)
        values = [0 if v is None else v for v in values]
    data = np.fromiter(values, np.int64, n)
    return pa.Array.from_buffers(type, n, [validity, pa.py_buffer(data)])


def string_array(values: Sequence[str | None]) -> pa.Array:
    """A ``string`` array from ``str`` or ``None`` values."""
    n = len(values)
    nulls = values.count(None)
    if nulls == n:
        return pa.nulls(n, pa.string())
    validity = None
    texts: Sequence[str]
    if nulls:
        validity = _validity(values, n)
        texts = ["" if v is None else v for v in values]
    else:
        texts = cast("Sequence[str]", values)
    joined = "".join(texts)
    data = joined.encode("utf-8")
    if len(data) == len(joined):  # ASCII: byte lengths are character lengths
        lengths = np.fromiter(map(len, texts), np.int32, n)
    else:
        lengths = np.fromiter((len(v.encode("utf-8")) for v in texts), np.int32, n)
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

    def counts(self, codes: np.ndarray) -> dict[str, int]:
        """How many times each non-null value occurs among ``codes``."""
        found = np.bincount(codes, minlength=len(self.keys))
        counts: dict[str, int] = {}
        for i in np.flatnonzero(found):
            key = self.keys[i]
            if key is not None:
                counts[key] = int(found[i])
        return counts


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
