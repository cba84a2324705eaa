"""The one report of ``make bench``: Markdown and JSON, with the machine it ran on.

Each database's run (a child process of ``run.py``) saves its rows with :func:`save_rows`;
the parent reads them back (:func:`load_rows`) and :func:`write` puts them side by side:
the pages at each scale of the plant (median, 95th percentile, queries) on SQLite and on
PostgreSQL beside the minimal views of the same stack, then every other measure (the
generator, the close and its bare aggregates, distributions, netting, printing).
"""

from __future__ import annotations

import datetime
import json
import math
import os
import platform
import re
import sys
from pathlib import Path

SCALED = re.compile(r"^\[(\d+)\] (.*)$")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (of ten requests, the 95th is the slowest)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def _postgres_version(url: str) -> str:
    if not url:
        return ""
    try:
        import psycopg

        with psycopg.connect(url.split("?")[0], connect_timeout=5) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:  # the report still says what it could not read
        return f"unknown ({type(exc).__name__})"


def machine(database_url: str) -> dict:
    """The machine of the run: CPU model, cores, RAM, Python, PostgreSQL, load average."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    ram = 0.0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 2**20
                break
    import sqlite3

    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "ram_gb": round(ram, 1),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(database_url),
        "system": platform.platform(),
        "load_average_start": [round(v, 2) for v in os.getloadavg()],
        "started": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def save_rows(rows: list[tuple], failures: list[str]) -> None:
    """A child's rows (name, seconds, queries, status[, p95]) for the parent's report."""
    path = os.environ.get("BENCH_ROWS")
    if not path:
        return
    data = []
    for name, seconds, queries, status, *rest in rows:
        scaled = SCALED.match(name)
        data.append(
            {
                "scale": int(scaled.group(1)) if scaled else None,
                "name": scaled.group(2) if scaled else name,
                "seconds": round(seconds, 4) if seconds else None,
                "p95": round(rest[0], 4) if rest else None,
                "queries": queries if queries != "" else None,
                "status": status if status != "" else None,
            }
        )
    Path(path).write_text(json.dumps({"rows": data, "failures": failures}, ensure_ascii=False))


def load_rows(path: Path) -> dict:
    if not path.exists():
        return {"rows": [], "failures": ["the run wrote no rows (it stopped early)"]}
    return json.loads(path.read_text(encoding="utf-8"))


def _ms(value) -> str:
    return "" if value is None else f"{value * 1000:,.0f}".replace(",", " ")


def _seconds(value) -> str:
    return "" if value is None else f"{value:.3f}"


def _pages(runs: dict, scales) -> list[str]:
    """Pages: one row per page, per database and scale median / p95 ms and queries."""
    labels = list(runs)
    names: list[str] = []
    cells: dict[tuple, dict] = {}
    for label, run in runs.items():
        for row in run["rows"]:
            if row["scale"] is None or row["p95"] is None:
                continue
            if row["name"] not in names:
                names.append(row["name"])
            cells[(label, row["scale"], row["name"])] = row
    head = ["page"]
    for label in labels:
        for scale in scales:
            head.append(f"{label} {scale} med ms / p95 / q")
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
    for name in names:
        line = [name]
        for label in labels:
            for scale in scales:
                row = cells.get((label, scale, name))
                line.append(
                    f"{_ms(row['seconds'])} / {_ms(row['p95'])} / {row['queries']}" if row else ""
                )
        lines.append("| " + " | ".join(line) + " |")
    return lines


def _others(runs: dict) -> list[str]:
    """Every other measure, matched by its place in the run (both runs make the same steps;
    a name carries the run's own counts, e.g. the sections closed)."""
    labels = list(runs)
    measures = [[r for r in run["rows"] if r["p95"] is None] for run in runs.values()]
    head = ["measure", *[f"{label} s / queries" for label in labels]]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * len(labels) + "|"]
    for index, row in enumerate(measures[0] if measures else []):
        name = f"[{row['scale']}] {row['name']}" if row["scale"] else row["name"]
        line = [name]
        for rows in measures:
            other = rows[index] if index < len(rows) else None
            if other is None:
                line.append("")
            else:
                queries = "" if other["queries"] is None else f" / {other['queries']}"
                line.append(f"{_seconds(other['seconds'])}{queries}")
        lines.append("| " + " | ".join(line) + " |")
    return lines


def write(machine_info: dict, runs: dict, scales, directory: Path) -> Path:
    """The report as Markdown and JSON in ``directory``; returns the Markdown's path."""
    directory.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = directory / f"bench-{stamp}.md"
    m = machine_info
    lines = [
        f"# make bench — {m['started']}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; Python {m['python']}, "
        f"SQLite {m['sqlite']}, PostgreSQL {m['postgresql'] or 'not measured'}; {m['system']}. "
        f"Load average at start: {', '.join(str(v) for v in m['load_average_start'])} "
        "(the figures are as quick as the machine was free).",
        "",
        f"Scales: {', '.join(str(s) for s in scales)} workers (24 months). Pages: the median "
        "and the 95th percentile of the requests after one warming request, through Django's "
        "test client (the server's whole stack without the network), and the SQL queries of "
        "one request; beside them the minimal views of the same stack.",
        "",
        "## Pages",
        "",
        *_pages(runs, scales),
        "",
        "## Other measures",
        "",
        *_others(runs),
        "",
    ]
    for label, run in runs.items():
        if run["failures"]:
            lines += [f"## Missed targets: {label}", "", *[f"- {f}" for f in run["failures"]], ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    data = {"machine": machine_info, "scales": list(scales), "runs": runs}
    path.with_suffix(".json").write_text(json.dumps(data, indent=2, ensure_ascii=False))
    return path
