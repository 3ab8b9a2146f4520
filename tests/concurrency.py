"""Run work in many threads at once, for the concurrency tests on
PostgreSQL. Each thread waits at a barrier so they really race, and closes
its own database connection."""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass
class Race:
    """What a race left: the values of the calls that went through, the
    expected domain errors of those that were refused, and anything else
    (a server error: a test should assert there is none)."""

    ok: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    crashes: list = field(default_factory=list)

    @property
    def tally(self) -> tuple[int, int, list]:
        """(went through, refused, crashes), to compare in one assert."""
        return len(self.ok), len(self.refused), self.crashes


def race(calls: Sequence[Callable[[], object]],
         expected: tuple[type[Exception], ...] = ()) -> Race:
    """Run each callable in its own thread, all released at once."""
    from django.db import connection

    result = Race()
    lock = threading.Lock()
    barrier = threading.Barrier(len(calls))

    def target(call):
        try:
            barrier.wait()
            outcome, bucket = call(), result.ok
        except expected as exc:
            outcome, bucket = exc, result.refused
        except Exception as exc:  # a server error: the test must fail on it
            outcome, bucket = exc, result.crashes
        finally:
            connection.close()
        with lock:
            bucket.append(outcome)

    threads = [threading.Thread(target=target, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


def run_in_parallel(count: int, work: Callable[[], object],
                    expected: tuple[type[Exception], ...] = ()) -> Race:
    """The same ``work`` in ``count`` threads at once."""
    return race([work] * count, expected)
