"""Running calls at the same moment in threads (PostgreSQL race tests).

Each thread has its own database connection and closes it when done; the threads wait
on a barrier and are released together.
"""

from __future__ import annotations

import threading

from django.db import connection


def at_once(*calls, timeout: float = 60):
    """Run the calls in threads released together; ``[("ok", value) | ("error", exc)]``."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as error:  # the test looks at what each got
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a thread hung (deadlock?)"
    return results


def outcomes(results) -> tuple[list, list]:
    won = [value for kind, value in results if kind == "ok"]
    lost = [value for kind, value in results if kind == "error"]
    return won, lost
