"""The server's connections write each answer whole: its head held until its body follows, or until the event
loop's next turn for an answer without a body; nothing reordered, nothing left behind at close."""

from __future__ import annotations

import asyncio

from corridor.cli.serving import _HeldHead

HEAD = b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n"


class Wire:
    def __init__(self):
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name):
        return f"info:{name}"


def test_an_answer_leaves_in_one_write():
    async def go():
        wire = Wire()
        held = _HeldHead(wire, asyncio.get_running_loop())
        held.write(HEAD)
        assert wire.writes == []
        held.write(b"{}")
        await asyncio.sleep(0)
        return wire.writes

    assert asyncio.run(go()) == [HEAD + b"{}"]


def test_a_head_without_a_body_leaves_at_the_next_turn_and_before_a_close():
    async def go():
        wire = Wire()
        held = _HeldHead(wire, asyncio.get_running_loop())
        held.write(HEAD)
        await asyncio.sleep(0)
        first = list(wire.writes)
        held.write(HEAD)
        held.close()
        return first, wire.writes, wire.closed

    first, writes, closed = asyncio.run(go())
    assert first == [HEAD] and writes == [HEAD, HEAD] and closed


def test_other_writes_pass_through_in_order():
    async def go():
        wire = Wire()
        held = _HeldHead(wire, asyncio.get_running_loop())
        held.write(b"chunk one")
        held.writelines([b"chunk ", b"two"])
        held.write(HEAD)
        held.writelines([b"a", b"b"])
        return wire.writes, held.get_extra_info("peername")

    writes, info = asyncio.run(go())
    assert writes == [b"chunk one", b"chunk two", HEAD + b"ab"] and info == "info:peername"
