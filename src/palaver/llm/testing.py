"""An OpenAI-compatible stub server on 127.0.0.1, for tests, examples and teaching.

It answers ``POST /v1/chat/completions`` from a script: a list of replies used
in order, or a function of the request body. A reply can be slow, hang, be
garbled, fail with an HTTP status, or report chosen token counts, so every
behaviour of a client can be driven without a network or a model.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson


@dataclass(frozen=True, slots=True)
class StubReply:
    """One scripted answer of the :class:`StubServer`.

    Attributes:
        content: The assistant message.
        status: The HTTP status (not 200: an error body is sent instead).
        delay: Seconds to wait before answering.
        hang: Never answer (until the client gives up or the server stops).
        malformed: Send a body that is not a chat-completions response.
        drop: Close the connection without answering.
        input_tokens: ``usage.prompt_tokens`` (default: characters of the prompt / 4).
        output_tokens: ``usage.completion_tokens`` (default: characters of ``content`` / 4).
        finish_reason: ``choices[0].finish_reason``.
        usage: Whether the answer has a ``usage`` block (some servers send none).
    """

    content: str = ""
    status: int = 200
    delay: float = 0.0
    hang: bool = False
    malformed: bool = False
    drop: bool = False
    input_tokens: int | None = None
    output_tokens: int | None = None
    finish_reason: str = "stop"
    usage: bool = True


Responder = Callable[[dict[str, Any]], "str | StubReply"]


class StubServer:
    """A chat-completions server in a background thread of this process.

    Args:
        script: A list of replies (``str`` or :class:`StubReply`), answered in
            order (then HTTP 500 "script exhausted"), or a function called with
            each request's JSON body. ``None`` answers ``{}``.
        model: The model name the answers report.

    Attributes:
        requests: The JSON bodies received, in order of arrival.
        headers: Their HTTP headers (lower-case names), in the same order.
        max_in_flight: The most requests it was answering at once.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        script: Iterable[str | StubReply] | Responder | None = None,
        *,
        model: str = "stub-model",
    ) -> None:
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._replies: list[str | StubReply] = []
        self._responder: Responder | None = None
        self.script(script)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    def script(self, script: Iterable[str | StubReply] | Responder | None) -> None:
        """Replace the script (a list or a function, as in the constructor)."""
        with self._lock:
            if script is None:
                self._responder, self._replies = (lambda _body: "{}"), []
            elif callable(script):
                self._responder, self._replies = script, []
            else:
                replies = list(script)
                for reply in replies:
                    if not isinstance(reply, str | StubReply):
                        raise ValueError(
                            f"a stub reply must be a str or a StubReply, got {reply!r}"
                        )
                self._responder, self._replies = None, replies

    @property
    def calls(self) -> int:
        """How many chat-completions requests it received."""
        return len(self.requests)

    @property
    def base_url(self) -> str:
        """The URL to give a client: ``http://127.0.0.1:<port>/v1``."""
        if not self.port:
            raise RuntimeError("the stub server is not running: call start() first")
        return f"http://127.0.0.1:{self.port}/v1"

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> StubServer:
        """Start listening on a free port of 127.0.0.1; return ``self``."""
        if self._thread is not None:
            return self
        ready = threading.Event()
        failure: list[BaseException] = []
        loop = asyncio.new_event_loop()

        def main() -> None:
            asyncio.set_event_loop(loop)
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=4096)
                )
                self.port = self._server.sockets[0].getsockname()[1]
            except BaseException as exc:  # reported to start()'s caller
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=main, name="palaver-stub-server", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread = None
            raise failure[0]
        return self

    def stop(self) -> None:
        """Stop answering, drop open connections and end the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def shutdown() -> None:
            assert self._server is not None
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            loop.stop()

        asyncio.run_coroutine_threadsafe(shutdown(), loop)
        thread.join(timeout=10)
        self._loop = self._thread = self._server = None
        self.port = 0

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- serving -----------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while True:
                request = await self._read(reader)
                if request is None:
                    return
                path, headers, body = request
                if not await self._answer(path, headers, body, writer):
                    return
        except (asyncio.CancelledError, ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _read(self, reader: asyncio.StreamReader) -> tuple[str, dict[str, str], bytes] | None:
        line = await reader.readline()
        if not line:
            return None
        parts = line.decode("latin-1").split()
        path = parts[1] if len(parts) > 1 else "/"
        headers: dict[str, str] = {}
        while True:
            header = await reader.readline()
            if header in (b"\r\n", b"\n", b""):
                break
            name, _, value = header.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        return path, headers, await reader.readexactly(length)

    def _next(self, body: dict[str, Any], headers: dict[str, str]) -> str | StubReply:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            if self._responder is not None:
                responder = self._responder
            elif self._replies:
                return self._replies.pop(0)
            else:
                return StubReply(status=500, content="script exhausted")
        return responder(body)

    async def _answer(
        self, path: str, headers: dict[str, str], raw: bytes, writer: asyncio.StreamWriter
    ) -> bool:
        if not path.endswith("/chat/completions"):
            self._write(writer, 404, b'{"error": {"message": "not found"}}')
            return True
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            self._write(writer, 400, b'{"error": {"message": "body is not JSON"}}')
            return True
        try:
            reply = self._next(body, headers)
        except Exception as exc:  # a failing responder is the server's 500, as in real life
            reply = StubReply(status=500, content=f"responder raised {type(exc).__name__}: {exc}")
        if isinstance(reply, str):
            reply = StubReply(reply)
        elif not isinstance(reply, StubReply):
            reply = StubReply(status=500, content=f"responder returned {reply!r}")
        self._in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            if reply.hang:
                await asyncio.Event().wait()
            if reply.delay > 0:
                await asyncio.sleep(reply.delay)
        finally:
            self._in_flight -= 1
        if reply.drop:
            return False
        if reply.malformed:
            self._write(writer, 200, b"<html>this is not JSON")
        elif reply.status != 200:
            message = {"error": {"message": reply.content or f"status {reply.status}"}}
            self._write(writer, reply.status, orjson.dumps(message))
        else:
            self._write(writer, 200, orjson.dumps(self._completion(body, reply)))
        await writer.drain()
        return True

    def _completion(self, body: dict[str, Any], reply: StubReply) -> dict[str, Any]:
        messages = body.get("messages") or []
        prompt = sum(len(str(m.get("content", ""))) for m in messages if isinstance(m, dict))
        # The id depends on the request only, so that two live runs of the
        # same negotiations get the same ids whatever the arrival order.
        digest = hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()
        completion: dict[str, Any] = {
            "id": f"chatcmpl-stub-{digest[:16]}",
            "object": "chat.completion",
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.content},
                    "finish_reason": reply.finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": reply.input_tokens
                if reply.input_tokens is not None
                else prompt // 4 + 1,
                "completion_tokens": reply.output_tokens
                if reply.output_tokens is not None
                else len(reply.content) // 4 + 1,
            },
        }
        if not reply.usage:
            del completion["usage"]
        return completion

    def _write(self, writer: asyncio.StreamWriter, status: int, body: bytes) -> None:
        head = (
            f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: keep-alive\r\n\r\n"
        )
        writer.write(head.encode("latin-1") + body)
