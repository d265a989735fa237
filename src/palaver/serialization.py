"""NegMAS's ``dump`` and ``load``: plain data to and from a file, chosen by its extension.

``.json`` is written with the standard library; ``.yaml`` / ``.yml`` need
PyYAML (not a Palaver dependency: ``pip install pyyaml``). A name without an
extension gets ``.json``. What is written is plain data (dicts, lists,
strings, numbers, booleans, ``None``), such as the ``to_dict()`` of a value
or utility function; tuples are written as lists. NegMAS also writes pickle
and CSV files here; Palaver does not (pickle is not plain data, and
DataFrames have their own writers).

The functions live in ``palaver._util.serialization`` so that every layer
(the mechanisms' saved runs among them) can use them; this is their public home.
"""

from __future__ import annotations

from palaver._util.serialization import dump, load

__all__ = ["dump", "load"]
