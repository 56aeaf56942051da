"""``RedisBus``: the event bus across several server processes, over Redis pub/sub.

Selected by ``WARMLINE_BUS_URL=redis://host:6379/0``. Every process publishes to one channel and
listens to it; events that come back are fanned out to local subscribers exactly as ``InProcessBus``
does (each with its own bounded queue), so a console attached to any worker sees every call.

A call never waits on Redis being healthy: if a publish fails the event is still delivered to this
process's own subscribers (the records writer and the local console), a warning is logged, and the
listener reconnects in the background. Event data may hold transcript text: use ``rediss://`` or a
private network, as for the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from safety.bus import Event, InProcessBus

log = logging.getLogger(__name__)

DEFAULT_CHANNEL = "warmline:events"


class RedisBus(InProcessBus):
    def __init__(self, url: str, channel: str = DEFAULT_CHANNEL, *, reconnect_s: float = 1.0) -> None:
        super().__init__()
        self.url = url
        self.channel = channel
        self.reconnect_s = reconnect_s
        self.origin = uuid.uuid4().hex  # marks our own events, to tell them apart after a failure
        self._redis: aioredis.Redis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._tried = asyncio.Event()  # the listener's first connection attempt is over
        self.publish_failures = 0

    async def start(self) -> None:
        if self._listener is not None:
            return
        self._redis = aioredis.from_url(self.url)
        self._listener = asyncio.create_task(self._listen(), name="redis-bus-listener")
        # wait (briefly) until subscribed, so events published right after start() are not missed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._tried.wait(), 5.0)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
            self._listener = None
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.aclose()
            self._redis = None
        self._ready.clear()
        self._tried.clear()
        await super().stop()

    async def publish(self, event: Event) -> None:
        if self._listener is None:
            await self.start()
        payload = json.dumps({"origin": self.origin, "event": event.to_json()}, default=str)
        try:
            assert self._redis is not None
            await self._redis.publish(self.channel, payload)
        except (RedisError, OSError, AssertionError) as exc:
            self.publish_failures += 1
            log.warning("redis bus: publish failed (%s); delivering locally only", type(exc).__name__)
            self.deliver(event)

    async def _listen(self) -> None:
        while True:
            pubsub = None
            try:
                assert self._redis is not None
                pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(self.channel)
                self._ready.set()
                self._tried.set()
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    self._on_message(message.get("data"))
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError, AssertionError) as exc:
                log.warning("redis bus: listener lost its connection (%s); reconnecting", type(exc).__name__)
                self._ready.clear()
                self._tried.set()
                await asyncio.sleep(self.reconnect_s)
            finally:
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        await pubsub.aclose()

    def _on_message(self, data: Any) -> None:
        try:
            obj = json.loads(data)
            event = Event.from_json(obj["event"])
        except (ValueError, KeyError, TypeError):
            log.warning("redis bus: dropped a malformed message")
            return
        self.deliver(event)
