"""Run the same work in many threads at once, for the concurrency tests on
PostgreSQL. Each thread waits at a barrier so they really race, and closes
its own database connection."""

import threading
from collections.abc import Callable


def run_in_parallel(count: int, work: Callable[[], object],
                    expected: tuple[type[Exception], ...] = ()) -> list:
    """Each result is what ``work`` returned, the exception when it is one of
    ``expected`` (a domain error), or ``("crash", exc)`` for anything else, so
    a test can assert that no attempt ended in a server error."""
    from django.db import connection

    results: list = []
    lock = threading.Lock()
    barrier = threading.Barrier(count)

    def target():
        try:
            barrier.wait()
            outcome = work()
        except expected as exc:
            outcome = exc
        except Exception as exc:  # a server error: the test must fail on it
            outcome = ("crash", exc)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
