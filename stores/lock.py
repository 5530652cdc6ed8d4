"""Rasa's RedisLockStore, with its ticket updates made atomic across Rasa servers.

Rasa 3.6 keeps each conversation's ticket lock as one JSON value in Redis and changes it by
read, modify, write (`issue_ticket`, `update_lock`, `cleanup`). Within one server that is
safe (the Redis calls block the event loop, so nothing runs in between), but two replicas
doing it at the same moment overwrite each other's tickets: a message then waits for a ticket
that no longer exists until the 60 s lock lifetime expires, or two messages run at once.
tests/scaled sends eight messages at once to two replicas and saw both.

Here each of those read-modify-writes holds a short Redis mutex (redis-py's `Lock`: SET NX
with an expiry, released only by its holder) per conversation. It is held for a few Redis
round trips, so blocking the event loop while waiting for it costs milliseconds.

Use it from endpoints.yml with `type: stores.lock.AtomicRedisLockStore` and the keys of
Rasa's `type: redis` (https://rasa.com/docs/rasa/lock-stores#redislockstore).
"""

from contextlib import contextmanager
from typing import Any, Iterator, Optional, Text

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

MUTEX_PREFIX = "lockupdate:"  # not the tickets' own "lock:" prefix


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        # Rasa builds a lock store named by module path from its whole endpoint entry.
        if endpoint_config is not None:
            kwargs = {
                "host": endpoint_config.url or "localhost",
                **endpoint_config.kwargs,
                **kwargs,
            }
        super().__init__(**kwargs)

    @contextmanager
    def _exclusive(self, conversation_id: Text) -> Iterator[None]:
        mutex = self.red.lock(
            MUTEX_PREFIX + conversation_id, timeout=10, blocking_timeout=10, sleep=0.005
        )
        with mutex:
            yield

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._exclusive(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: Text) -> None:
        with self._exclusive(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        with self._exclusive(conversation_id):
            super().cleanup(conversation_id, ticket_number)
