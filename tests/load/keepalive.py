"""Keep-alive against people's pauses: how many requests does each gunicorn setting drop?

``python tests/load/keepalive.py`` (``make load-keepalive``) starts gunicorn with each of
the settings below in turn (production settings, on loopback, the load test's database)
and lets ``CLIENTS`` clients, each on one persistent connection as a browser keeps it,
request the login page (light: the server's time is not what is measured) with a pause of
1–3 s between requests — a person reading a page — for ``DURATION_S`` seconds each. It counts the
requests that failed on the connection (``ConnectionResetError``, the server closing it
as the request arrives) and the new connections the clients had to open.

gunicorn's gthread worker closes a connection idle for ``--keep-alive`` seconds (2 by
default): a pause of about that length meets the closing. The sync worker does not keep
connections alive at all (a connection per request), which costs a TCP handshake a page
and no error.
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import DEFAULT_URL, PRODUCTION_ENV, ROOT, _free_port, _pooled, _wait_ready

SETTINGS = (
    "--workers 2 --worker-class gthread --threads 4 --keep-alive 2",
    "--workers 2 --worker-class gthread --threads 4 --keep-alive 75",
    "--workers 4 --worker-class sync",
)


def _cause(exc: BaseException) -> str:
    """The socket's error under requests' and urllib3's wrappers (ConnectionResetError …)."""
    seen = exc
    for _ in range(5):
        inner = [a for a in getattr(seen, "args", ()) if isinstance(a, BaseException)]
        inner += [getattr(seen, "reason", None)] if getattr(seen, "reason", None) else []
        if not inner:
            break
        seen = inner[-1]
        if isinstance(seen, OSError) and not isinstance(seen, requests.RequestException):
            break
    return type(seen).__name__


def _client(base: str, until: float, seed: int, counts: dict, lock: threading.Lock) -> None:
    rng = random.Random(seed)
    session = requests.Session()
    while time.monotonic() < until:
        try:
            response = session.get(f"{base}/login/", timeout=30)
            key = "ok" if response.status_code == 200 else f"HTTP {response.status_code}"
        except requests.ConnectionError as exc:
            key = _cause(exc)
            session = requests.Session()
        with lock:
            counts[key] = counts.get(key, 0) + 1
        time.sleep(rng.uniform(1, 3))


def measure(arguments: str, clients: int, seconds: int) -> dict:
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "DATABASE_URL": _pooled(os.environ.get("LOAD_DATABASE_URL") or DEFAULT_URL),
        "SECRET_KEY": secrets.token_urlsafe(64),
    }
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         *arguments.split(), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )  # fmt: skip
    try:
        _wait_ready(base)
        counts: dict[str, int] = {}
        lock = threading.Lock()
        until = time.monotonic() + seconds
        threads = [
            threading.Thread(target=_client, args=(base, until, seed, counts, lock))
            for seed in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return counts
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def main() -> int:
    clients = int(os.environ.get("CLIENTS", "30"))
    seconds = int(os.environ.get("DURATION_S", "60"))
    print(f"{clients} clients, one connection each, 1–3 s pauses, {seconds} s a setting")
    for arguments in SETTINGS:
        counts = measure(arguments, clients, seconds)
        total = sum(counts.values())
        failed = total - counts.get("ok", 0)
        detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k != "ok")
        print(
            f"{arguments:<65} requests {total:>5}, failed {failed:>3} "
            f"({100 * failed / max(total, 1):.1f} %){': ' + detail if detail else ''}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
