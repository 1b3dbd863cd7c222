"""The soak's HTTP client: a bounded pool of keep-alive HTTP/1.1 connections to 127.0.0.1.

Hand-written on asyncio streams so that several hundred clients fit in one process and the
pool's size, not a library's defaults, sets how many connections the server sees.
"""

from __future__ import annotations

import asyncio
import json
import time

IDLE_SECONDS = 2  # pooled connections idle longer are not reused


class HttpError(Exception):
    """An answer the pool cannot parse."""


class Connection:
    """One keep-alive connection and whether it may carry another request."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer
        self.reusable = True
        self.last_used = time.monotonic()

    def close(self) -> None:
        self.writer.close()


class Pool:
    """At most ``size`` connections in use at once; idle keep-alive ones are reused."""

    def __init__(self, port: int, size: int):
        self.port = port
        self.slots = asyncio.Semaphore(size)
        self.idle: list[Connection] = []
        self.opened = 0
        self.reused = 0

    async def request(self, method: str, path: str, token: str, body: dict | None):
        """(status, body bytes) of one request, on a pooled connection or a new one."""
        async with self.slots:
            conn = self.idle.pop() if self.idle else None
            if conn is not None and time.monotonic() - conn.last_used > IDLE_SECONDS:
                conn.close()  # the server may be closing it (gunicorn keepalive is 5 s)
                conn = None
            if conn is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                conn = Connection(reader, writer)
                self.opened += 1
            else:
                self.reused += 1
            try:
                status, data = await self._exchange(conn, method, path, token, body)
            except BaseException:
                conn.close()
                raise
            if conn.reusable:
                conn.last_used = time.monotonic()
                self.idle.append(conn)
            else:
                conn.close()
            return status, data

    def close(self) -> None:
        """Closes the idle connections (those in use close with their request)."""
        for conn in self.idle:
            conn.close()

    async def _exchange(self, conn: Connection, method, path, token, body):
        payload = json.dumps(body).encode() if body is not None else b""
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            f"Authorization: Token {token}",
            "Accept: application/json",
            "Connection: keep-alive",
        ]
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        conn.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        await conn.writer.drain()

        raw_head = await conn.reader.readuntil(b"\r\n\r\n")
        lines = raw_head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            raise HttpError(f"bad status line {lines[0]!r}")
        status = int(parts[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if headers.get("connection", "").lower() == "close" or parts[0] == "HTTP/1.0":
            conn.reusable = False
        return status, await self._read_body(conn, headers)

    async def _read_body(self, conn: Connection, headers: dict[str, str]) -> bytes:
        if "content-length" in headers:
            return await conn.reader.readexactly(int(headers["content-length"]))
        if headers.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int((await conn.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await conn.reader.readexactly(size + 2)
                if size == 0:
                    return data
                data += chunk[:-2]
        conn.reusable = False  # the body ends where the server closes the connection
        return await conn.reader.read()
