"""A small HTTP/1.1 client on asyncio streams, with a keep-alive connection pool.

The standard library has no asyncio HTTP client, and a thread per request
would cap concurrency at the thread count; this client sends one request per
pooled connection, so thousands of calls wait on sockets, not on threads.
Cancelling a request (a timeout) closes its connection, so a server that never
answers costs nothing once the caller gave up.
"""

from __future__ import annotations

import asyncio
import ssl
import weakref
from dataclasses import dataclass
from urllib.parse import urlsplit

_MAX_HEADER_LINES = 200
#: The largest response body accepted (32 MiB): a chat completion is a few
#: kilobytes, and a server streaming without end must not exhaust memory.
MAX_BODY_BYTES = 32 * 1024 * 1024


async def _read_to_end(reader: asyncio.StreamReader) -> bytes:
    """The rest of the stream (a body ended by closing), at most :data:`MAX_BODY_BYTES`."""
    parts: list[bytes] = []
    total = 0
    while chunk := await reader.read(1 << 16):
        total += len(chunk)
        if total > MAX_BODY_BYTES:
            raise ProtocolError(f"a response body larger than {MAX_BODY_BYTES} bytes")
        parts.append(chunk)
    return b"".join(parts)


@dataclass(frozen=True, slots=True)
class HTTPResponse:
    """A received response: status code, lower-cased headers and the body."""

    status: int
    headers: dict[str, str]
    body: bytes


class ProtocolError(Exception):
    """The server sent something that is not an HTTP/1.1 response."""


class _Connection:
    __slots__ = ("reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    def close(self) -> None:
        self.writer.close()


class HTTPClient:
    """Sends requests to one origin (scheme, host, port) over pooled connections.

    Args:
        base_url: ``http://host:port/prefix`` or ``https://...``.
        max_connections: Requests in flight at once; more wait for a free connection.
    """

    def __init__(self, base_url: str, max_connections: int = 64) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"base_url must be an http:// or https:// URL with a host, got {base_url!r}"
            )
        if isinstance(max_connections, bool) or not isinstance(max_connections, int):
            raise ValueError(f"max_connections must be a positive int, got {max_connections!r}")
        if max_connections < 1:
            raise ValueError(f"max_connections must be a positive int, got {max_connections!r}")
        self.tls = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.tls else 80)
        self.prefix = parts.path.rstrip("/")
        self.max_connections = max_connections
        # Sockets and semaphores belong to one event loop: one pool per loop.
        self._pools: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[list[_Connection], asyncio.Semaphore]
        ] = weakref.WeakKeyDictionary()

    def _pool(self) -> tuple[list[_Connection], asyncio.Semaphore]:
        loop = asyncio.get_running_loop()
        pool = self._pools.get(loop)
        if pool is None:
            pool = ([], asyncio.Semaphore(self.max_connections))
            self._pools[loop] = pool
        return pool

    async def _connect(self) -> _Connection:
        context = ssl.create_default_context() if self.tls else None
        reader, writer = await asyncio.open_connection(
            self.host, self.port, ssl=context, limit=2**22
        )
        return _Connection(reader, writer)

    async def request(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> HTTPResponse:
        """Send one request and read the whole response.

        Raises ``OSError`` (connection failures), :class:`ProtocolError`
        (a garbled response) or ``asyncio.CancelledError`` when cancelled.
        """
        idle, slots = self._pool()
        head = self._head(method, path, body, headers)
        async with slots:
            while idle:
                conn = idle.pop()
                try:
                    response, keep = await self._exchange(conn, head, body)
                except (OSError, ProtocolError, asyncio.IncompleteReadError):
                    # The server closed an idle connection: try the next one.
                    conn.close()
                    continue
                except BaseException:
                    conn.close()
                    raise
                self._release(idle, conn, keep)
                return response
            conn = await self._connect()
            try:
                response, keep = await self._exchange(conn, head, body)
            except asyncio.IncompleteReadError as exc:
                conn.close()
                raise ProtocolError("the server closed the connection mid-response") from exc
            except BaseException:
                conn.close()
                raise
            self._release(idle, conn, keep)
            return response

    def _release(self, idle: list[_Connection], conn: _Connection, keep: bool) -> None:
        if keep:
            idle.append(conn)
        else:
            conn.close()

    def _head(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
        lines = [
            f"{method} {self.prefix}{path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            f"Content-Length: {len(body)}",
            "Connection: keep-alive",
        ]
        lines.extend(f"{k}: {v}" for k, v in headers.items())
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    async def _exchange(
        self, conn: _Connection, head: bytes, body: bytes
    ) -> tuple[HTTPResponse, bool]:
        conn.writer.write(head + body)
        await conn.writer.drain()
        reader = conn.reader
        status_line = await reader.readline()
        if not status_line:
            raise ProtocolError("the server closed the connection without answering")
        parts = status_line.decode("latin-1").split(None, 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
            raise ProtocolError(f"not an HTTP status line: {status_line[:80]!r}")
        status = int(parts[1])
        headers: dict[str, str] = {}
        for _ in range(_MAX_HEADER_LINES):
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        else:
            raise ProtocolError("too many response header lines")
        if headers.get("transfer-encoding", "").lower() == "chunked":
            data = await self._chunked(reader)
        elif "content-length" in headers:
            try:
                length = int(headers["content-length"])
            except ValueError:
                raise ProtocolError(f"bad Content-Length {headers['content-length']!r}") from None
            if not 0 <= length <= MAX_BODY_BYTES:
                raise ProtocolError(
                    f"Content-Length {length} is not between 0 and {MAX_BODY_BYTES} bytes"
                )
            data = await reader.readexactly(length)
        else:
            data = await _read_to_end(reader)
            return HTTPResponse(status, headers, data), False
        keep = headers.get("connection", "").lower() != "close" and parts[0] == "HTTP/1.1"
        return HTTPResponse(status, headers, data), keep

    async def _chunked(self, reader: asyncio.StreamReader) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size_line = await reader.readline()
            try:
                size = int(size_line.split(b";")[0].strip(), 16)
            except ValueError:
                raise ProtocolError(f"bad chunk size line {size_line[:40]!r}") from None
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if size < 0 or total > MAX_BODY_BYTES:
                raise ProtocolError(f"a chunked response body larger than {MAX_BODY_BYTES} bytes")
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)

    def close(self) -> None:
        """Close the idle connections of every loop (in-flight ones close when done)."""
        for idle, _ in list(self._pools.values()):
            while idle:
                idle.pop().close()
