"""The arithmetic of ``make load`` and ``make bench``'s report, on hand-made samples."""

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _module(name: str, path: Path):
    """A script's module by its path (tests/bench and tests/load both have a run.py)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


report = _module("bench_report", HERE / "bench" / "report.py")
load = _module("load_run", HERE / "load" / "run.py")
writes = _module("load_writes", HERE / "load" / "writes.py")


def test_nearest_rank_percentiles():
    ten = [0.1 * n for n in range(1, 11)]  # 0.1 … 1.0
    assert report.percentile(ten, 0.95) == 1.0  # of ten requests, the slowest
    assert report.percentile(ten, 0.50) == 0.5
    hundred = list(range(1, 101))
    assert load._percentile(hundred, 0.95) == 95
    assert load._percentile(hundred, 0.99) == 99
    assert load._percentile(hundred, 0.50) == 50


def test_summary_per_page_and_overall_without_logins():
    samples = [{"name": "home", "ms": ms, "error": ""} for ms in (100, 200, 300, 400)]
    samples += [{"name": "login", "ms": 5000, "error": ""}]
    samples += [{"name": "plan", "ms": 50, "error": "ConnectionResetError"}]
    summary = load._summary(samples, seconds=2.0)
    home = next(r for r in summary["pages"] if r["page"] == "home")
    assert (home["requests"], home["p50_ms"], home["p95_ms"], home["max_ms"]) == (4, 200, 400, 400)
    overall = summary["overall"]
    assert (overall["requests"], overall["failed"], overall["max_ms"]) == (5, 1, 400)
    assert summary["errors"] == {"plan: ConnectionResetError": 1}
    assert summary["requests_per_second"] == 3.0  # six requests in two seconds


def test_profile_by_library_function_and_view(tmp_path):
    raw = tmp_path / "profile.txt"
    raw.write_text(
        'process 1:"gunicorn";board (planning/tracking/views.py:10);'
        "execute (/x/site-packages/psycopg/cursor.py:5) 3\n"
        'process 1:"gunicorn";board (planning/tracking/views.py:10);'
        "render (/x/site-packages/django/template/base.py:7) 1\n",
        encoding="utf-8",
    )
    profile = load._profile_summary(raw, cpu_ms_per_request=100)
    assert profile["samples"] == 4
    libraries = {r["function"]: r["ms_per_request"] for r in profile["libraries"]}
    assert libraries == {"database driver (psycopg)": 75.0, "Django templates": 25.0}
    assert profile["self"][0]["function"] == "execute (psycopg/cursor.py)"
    assert profile["inclusive"] == [
        {
            "function": "board (planning/tracking/views.py)",
            "share_percent": 100.0,
            "ms_per_request": 100.0,
        }
    ]


def test_bench_report_puts_databases_and_scales_side_by_side(tmp_path):
    def row(scale, name, seconds, p95, queries):
        return {
            "scale": scale,
            "name": name,
            "seconds": seconds,
            "p95": p95,
            "queries": queries,
            "status": 200,
        }

    runs = {
        "SQLite": {"rows": [row(10, "home", 0.01, 0.02, 5), row(20, "home", 0.03, 0.04, 5),
                            row(None, "close", 1.5, None, 9)], "failures": []},
        "PostgreSQL": {"rows": [row(10, "home", 0.011, 0.021, 5), row(20, "home", 0.031, 0.041, 5),
                                row(None, "close", 2.5, None, 9)], "failures": ["slow"]},
    }  # fmt: skip
    machine = report.machine("")
    path = report.write(machine, runs, (10, 20), tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "| home | 10 / 20 / 5 | 30 / 40 / 5 | 11 / 21 / 5 | 31 / 41 / 5 |" in text
    assert "| close | 1.500 / 9 | 2.500 / 9 |" in text
    assert "- slow" in text
    assert path.with_suffix(".json").exists()


def test_the_load_test_s_timesheet_moves_one_worker_s_hours_by_half_an_hour():
    fields = [
        ("form-TOTAL_FORMS", "3"),
        ("form-0-line", "11"),
        ("form-0-hours", "167,0"),
        ("form-1-line", "12"),
        ("form-1-hours", "1\xa0012,5"),  # as a page groups thousands
        ("form-2-line", "13"),
        ("form-2-hours", ""),
    ]
    first = writes.one_more_half_hour(fields, lambda rows: rows[0])
    assert first[2] == ("form-0-hours", "166,5")  # from 150 h on: down
    assert first[:2] + first[3:] == fields[:2] + fields[3:]
    second = writes.one_more_half_hour(fields, lambda rows: rows[-1])
    assert second[4] == ("form-1-hours", "1012,0")  # an empty row is never chosen
    low = writes.one_more_half_hour([("form-0-hours", "8")], lambda rows: rows[0])
    assert low == [("form-0-hours", "8,5")]
    assert writes.one_more_half_hour([("form-0-hours", "")], lambda rows: rows[0]) == [
        ("form-0-hours", "")
    ]


def test_the_load_report_names_a_write_the_run_never_made():
    summary = {
        "pages": [
            {"page": "home", "requests": 40},
            {"page": "timesheet saved", "requests": 3},
            {"page": "claim filed", "requests": 2},
            {"page": "claim answered", "requests": 0},
            {"page": "plan signed", "requests": 5},
        ]
    }
    assert load.missing_writes(summary) == ["claim answered", "plan sheet (PDF)"]
    assert load.missing_writes(summary, roles="Master") == []
