"""Reading and writing scenario files safely: every failure is a ScenarioError naming the file.

A scenario file comes from elsewhere (a competition archive, a colleague, the
web), so reading one must never hang (a FIFO or device named ``*.xml``), never
exhaust memory (a huge file, an entity expansion), never recurse until the
interpreter gives up (deeply nested JSON), and never surface an ``OSError``,
``UnicodeDecodeError`` or ``RecursionError`` to the caller. Only regular files
(or symbolic links to them) of at most :data:`MAX_FILE_BYTES` are read; the
check is made on the open descriptor, so a file swapped after the check cannot
slip through.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from palaver._util import files
from palaver.scenarios.errors import ScenarioError

#: The largest scenario file read (64 MiB). The largest Genius and GeniusWeb
#: scenarios of the ANL and Genius archives are a few megabytes.
MAX_FILE_BYTES = 64 * 1024 * 1024


def open_regular(path: Path, error: type[Exception] = ScenarioError) -> int:
    """An open read-only descriptor of the regular file ``path``, or ``error`` naming it.

    Refused: anything but a regular file (a folder, a FIFO, a socket, a
    device, a dangling or looping symbolic link), checked on the open
    descriptor by :func:`palaver._util.files.open_regular`.
    """
    try:
        return files.open_regular(path, error)
    except OSError as exc:  # missing, no permission, a looping link
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_bytes(
    path: Path,
    limit: int | None = None,
    *,
    error: type[Exception] = ScenarioError,
    what: str = "a scenario file",
) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`open_regular`), at most ``limit``.

    ``limit`` defaults to :data:`MAX_FILE_BYTES`; a larger file raises ``error``
    naming it before anything is read.
    """
    cap = MAX_FILE_BYTES if limit is None else limit
    fd = open_regular(path, error)
    try:
        size = os.fstat(fd).st_size
        if size > cap:
            raise error(f"{path}: {size} bytes, larger than the {cap} bytes {what} may have")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > cap:  # the file grew after fstat
                raise error(f"{path}: larger than the {cap} bytes {what} may have")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def parse_xml(path: Path) -> ET.Element:
    """The root element of an XML file, or a :class:`ScenarioError` naming the file.

    The encoding comes from the XML declaration or byte-order mark (UTF-8 when
    there is none). Python's expat refuses external entities and caps entity
    expansion (the "billion laughs"); both are reported as malformed XML.
    """
    return parse_xml_text(read_bytes(path), str(path))


def parse_xml_text(data: str | bytes, where: str) -> ET.Element:
    """The root element of XML text, or a :class:`ScenarioError` naming ``where``
    (as :func:`parse_xml` reads a file)."""
    try:
        parser = ET.XMLParser()
        parser.feed(data)
        return parser.close()
    except ET.ParseError as exc:
        raise ScenarioError(f"{where}: malformed XML: {exc}") from None
    except (LookupError, UnicodeError) as exc:  # an unknown or wrong declared encoding
        raise ScenarioError(f"{where}: malformed XML: bad encoding: {exc}") from None
    except RecursionError:
        raise ScenarioError(f"{where}: malformed XML: nested too deeply") from None


def read_json(path: Path) -> Any:
    """A JSON file's content, or a :class:`ScenarioError` naming the file and position.

    UTF-8, UTF-16 and UTF-32 (as RFC 8259 allows) are recognised; ``NaN`` and
    ``Infinity`` literals, which are not JSON, are refused.
    """
    data = read_bytes(path)
    try:
        return json.loads(data, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"{path}: malformed JSON: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: malformed JSON: not UTF-8/16/32 text: {exc}") from None
    except RecursionError:
        raise ScenarioError(f"{path}: malformed JSON: nested too deeply") from None
    except ValueError as exc:  # a NaN/Infinity literal
        raise ScenarioError(f"{path}: malformed JSON: {exc}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def check_writable(path: Path) -> None:
    """Refuse to write over something that is not a regular file (a folder, a FIFO, ...)."""
    if path.is_symlink() and not path.exists():
        raise ScenarioError(f"{path}: a dangling symbolic link; refusing to write through it")
    if path.exists() and not path.is_file():
        mode = path.stat().st_mode
        raise ScenarioError(
            f"{path}: is {files.file_kind(mode)}, cannot write a scenario file there"
        )


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (creating its folder), or a :class:`ScenarioError` naming it."""
    check_writable(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot write: {exc.strerror or exc}") from None
