"""A request rate per API key: one token bucket per key id, filled at its role's rate up to its burst.

In-process: each worker process (`alliance serve --workers N`) keeps its own buckets, so a key may send up to
N times its rate to the service as a whole. Built by the app factory from the settings (`rate_limit_<role>`,
`rate_burst_<role>`); a role with rate 0 is not limited. A request refused here costs the store nothing."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from service.errors import RateLimited
from service.roles import Role
from service.settings import Settings


class RateLimits:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self._rules = {role: settings.rate_limit(role) for role in Role}
        self._clock = clock
        # key id -> (tokens, when they were counted); one entry per key that called, and keys are few (configured
        # or stored ones), so the table stays small without eviction
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()  # sync routes run in threads; the check and the update are one step

    def take(self, key_id: str | None, role: Role) -> None:
        """One request of this key, or RATE_LIMITED naming when the next one is allowed."""
        rate, burst = self._rules[role]
        if rate <= 0 or key_id is None:
            return
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.get(key_id, (float(burst), now))
            tokens = min(float(burst), tokens + (now - then) * rate)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, now)
                return
            self._buckets[key_id] = (tokens, now)
        wait = max(1, math.ceil((1.0 - tokens) / rate))
        raise RateLimited(f"this key sent more than {_rate(rate)} requests a second (bursts up to {burst}) for "
                          f"its {role.value} role; retry after {wait} s", retry_after=wait)


def _rate(rate: float) -> str:
    return f"{rate:g}"
