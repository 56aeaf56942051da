import asyncio

from safety.bus import CALL_STARTED, CALL_TRANSCRIPT, Event, InProcessBus
from safety.types import Level


def test_levels_order_by_severity_not_alphabet():
    assert Level.NONE < Level.LOW < Level.MODERATE < Level.HIGH < Level.IMMINENT
    assert max([Level.HIGH, Level.LOW, Level.IMMINENT, Level.MODERATE]) is Level.IMMINENT
    assert Level("moderate") >= "low"


async def test_bus_fans_out_and_filters():
    bus = InProcessBus()
    everything = bus.subscribe()
    only_started = bus.subscribe([CALL_STARTED])
    await bus.publish(Event(CALL_TRANSCRIPT, "c1", {"text": "hi", "final": True}))
    await bus.publish(Event(CALL_STARTED, "c2"))
    got = [await everything.get(), await everything.get()]
    assert [e.name for e in got] == [CALL_TRANSCRIPT, CALL_STARTED]
    assert (await asyncio.wait_for(only_started.get(), 1)).call_id == "c2"
    assert only_started.queue.empty()
    j = got[0].to_json()
    assert j["event"] == CALL_TRANSCRIPT and j["call_id"] == "c1" and j["ts"] > 0
    assert Event.from_json(j) == got[0]


async def test_slow_subscriber_drops_oldest_without_blocking_publisher():
    bus = InProcessBus()
    sub = bus.subscribe(maxsize=2)
    for i in range(5):
        await bus.publish(Event(CALL_TRANSCRIPT, f"c{i}"))
    assert sub.dropped == 3
    assert [(await sub.get()).call_id for _ in range(2)] == ["c3", "c4"]
    sub.close()
    await bus.publish(Event(CALL_TRANSCRIPT, "late"))
    assert sub.queue.empty()
