"""Stage timings, for dist/timings.json and the benchmark."""

from __future__ import annotations

import time


class Clock:
    """Stage timings, in the order the stages end."""

    def __init__(self, timings: dict[str, float]):
        self.timings, self.last = timings, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round(now - self.last, 4)
        self.last = now

    def record(self, stage: str, seconds: float) -> None:
        """A stage timed elsewhere (beside the others, or in a child process)."""
        self.timings[stage] = round(seconds, 4)
        self.last = time.perf_counter()
