"""faust's aiokafka transport, with a changelog's end read correctly under exactly_once.

Under ``processing_guarantee="exactly_once"``, faust 0.15.3 takes the highwater of a
changelog partition from ``last_stable_offset``, which aiokafka knows only once a fetch
response for that partition has come back. Right after an assignment it has not, so the
value is unknown, faust reads it as an empty changelog and skips the restore: a monitor
restarted after a kill then counts its windows from zero. Here an unknown stable offset
is asked of the broker instead (``end_offsets``, which under ``read_committed`` is the
last stable offset too). The app selects this transport by its broker URL scheme.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from faust.transport.drivers import TRANSPORTS
from faust.transport.drivers import aiokafka as driver
from faust.types import TP

__all__ = ["SCHEME", "Transport"]

#: The broker URL scheme that selects this transport (``logscrub-kafka://host:9092``).
SCHEME = "logscrub-kafka"


class _ConsumerThread(driver.AIOKafkaConsumerThread):
    async def _highwaters(self, partitions: list[TP]) -> Mapping[TP, int]:
        if not self.consumer.in_transaction:
            return await super()._highwaters(partitions)
        consumer: Any = self._ensure_consumer()
        offsets: dict[TP, int | None] = {tp: consumer.last_stable_offset(tp) for tp in partitions}
        unknown = [tp for tp, offset in offsets.items() if offset is None]
        if unknown:
            offsets.update(await consumer.end_offsets(unknown))
        # (None, as faust's own code returns it, reads as an empty changelog)
        return cast(Mapping[TP, int], offsets)


class _Consumer(driver.Consumer):
    def _new_consumer_thread(self) -> driver.AIOKafkaConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class Transport(driver.Transport):
    """The aiokafka transport with :class:`_ConsumerThread`."""

    Consumer = _Consumer


TRANSPORTS.aliases[SCHEME] = f"{__name__}:Transport"
