"""A minimal websocket client (RFC 6455: text frames, no extensions), enough for Chromium's DevTools."""

from __future__ import annotations

import base64
import os
import socket
import urllib.parse

from generator.sample.driver.errors import DriverError

TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA
DATA = (0x0, TEXT, 0x2)  # continuation, text, binary


class WebSocket:
    """One websocket connection over a plain socket; a ping is answered while a message is awaited."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        self.stream = self.sock.makefile("rb")
        status = self.stream.readline()
        if b" 101 " not in status:
            raise DriverError(f"DevTools refused the connection to {url}: {status.decode(errors='replace')}")
        while self.stream.readline() not in (b"\r\n", b""):
            pass

    def close(self) -> None:
        self.stream.close()
        self.sock.close()

    def send(self, text: str, opcode: int = TEXT) -> None:
        payload = text.encode()
        size = len(payload)
        if size < 126:
            header = bytes([0x80 | opcode, 0x80 | size])
        elif size < 1 << 16:
            header = bytes([0x80 | opcode, 0x80 | 126]) + size.to_bytes(2, "big")
        else:
            header = bytes([0x80 | opcode, 0x80 | 127]) + size.to_bytes(8, "big")
        mask = os.urandom(4)
        self.sock.sendall(header + mask + _masked(payload, mask))

    def receive(self) -> str:
        """The next whole message (its frames joined)."""
        message = b""
        while True:
            final, opcode, data = self._frame()
            if opcode == CLOSE:
                raise DriverError("Chromium closed the DevTools connection (did the browser exit?)")
            if opcode == PING:
                self.send(data.decode(errors="replace"), opcode=PONG)
            elif opcode in DATA:
                message += data
                if final:
                    return message.decode()

    def _frame(self) -> tuple[bool, int, bytes]:
        """Whether the frame ends its message, its opcode and its (unmasked) payload."""
        first, second = self._read(2)
        size = second & 0x7F
        if size >= 126:
            size = int.from_bytes(self._read(2 if size == 126 else 8), "big")
        mask = self._read(4) if second & 0x80 else b""
        data = self._read(size)
        return bool(first & 0x80), first & 0x0F, _masked(data, mask) if mask else data

    def _read(self, size: int) -> bytes:
        data = self.stream.read(size)
        if len(data) < size:
            raise DriverError("the DevTools connection ended (did Chromium exit?)")
        return data


def _masked(data: bytes, mask: bytes) -> bytes:
    return bytes(b ^ mask[i % 4] for i, b in enumerate(data))
