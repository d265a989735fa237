"""Building Arrow arrays from Python values without ``pyarrow.array``.

``pyarrow.array`` checks every input against pandas, which imports pandas
(about 0.7 s and 40 MB) the first time, whether or not the caller uses it. The
recorder's write path builds its few column kinds directly from buffers
instead, with C-level loops (``map``, ``fromiter``) only.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
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
        # The last batch coded, its codes and its array. A simulation's steps
        # often repeat the same sequence of agents and event types (agents act
        # in a fixed order, each doing the same kinds of thing): comparing with
        # the previous sequence (an identity test per value, in C) then replaces
        # a dictionary lookup per value and an Arrow take. Codes and arrays are
        # never modified, so sharing them between batches is safe.
        self._last_values: Sequence[object] = ()
        self._last_codes: np.ndarray | None = None
        self._last_array: pa.Array | None = None

    def encode(self, values: Sequence[object]) -> tuple[np.ndarray, list[object]]:
        """The code of each value, and the values seen for the first time."""
        if self._last_codes is not None and _same(values, self._last_values):
            return self._last_codes, []
        lookup = self.codes.__getitem__
        try:
            codes, fresh = np.fromiter(map(lookup, values), np.int32, len(values)), []
        except KeyError:
            fresh = [v for v in dict.fromkeys(values) if v not in self.codes]
            for value in fresh:
                self.codes[value] = len(self.keys)
                self.keys.append(None if value is None else str(value))
            self._dictionary = None
            codes = np.fromiter(map(lookup, values), np.int32, len(values))
        self._last_values, self._last_codes, self._last_array = values, codes, None
        return codes, fresh

    def array(self, codes: np.ndarray) -> pa.Array:
        """The ``string`` array of the coded values (nulls where the value was ``None``)."""
        if codes is self._last_codes and self._last_array is not None:
            return self._last_array
        if self._dictionary is None:
            self._dictionary = string_array(self.keys)
        indices = pa.Array.from_buffers(pa.int32(), len(codes), [None, pa.py_buffer(codes)])
        array = self._dictionary.take(indices)
        if codes is self._last_codes:
            self._last_array = array
        return array


class Repeated:
    """Builds a column with ``build``, reusing the last array when a batch's
    values equal the previous batch's (see :class:`Coder` for why they often do:
    metadata, for example, is usually the same few texts in the same order)."""

    def __init__(self, build: Callable[[Sequence[Any]], pa.Array]) -> None:
        self._build = build
        self._values: Sequence[Any] = ()
        self._array: pa.Array | None = None

    def __call__(self, values: Sequence[Any]) -> pa.Array:
        """The array of ``values``."""
        if self._array is None or not _same(values, self._values):
            self._array = self._build(values)
            self._values = values
        return self._array


def _same(values: Sequence[object], last: Sequence[object]) -> bool:
    # Values equal as dictionary keys have the same code (the codes dict already
    # treats 1, 1.0 and True as one key). Ids whose comparison fails or is
    # ambiguous (numpy arrays, ...) are simply coded again.
    try:
        return bool(values == last)
    except Exception:
        return False


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


def distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct values of a 1-D array, and for each value the index
    of its distinct value: ``np.unique(values, return_inverse=True)``.

    ``np.unique`` imports ``numpy.ma`` on its first call (about 1 MB resident,
    for masked arrays the recorder never uses). Values already in order (as
    event positions, steps and times usually are) are not sorted again.
    """
    n = len(values)
    if n and bool((values[1:] >= values[:-1]).all()):
        order = None
        ordered = values
    else:
        order = np.argsort(values, kind="stable")
        ordered = values[order]
    first = np.empty(n, dtype=bool)
    if n:
        first[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    codes = np.cumsum(first) - 1
    if order is not None:
        inverse = np.empty_like(codes)
        inverse[order] = codes
        codes = inverse
    return ordered[first], codes
