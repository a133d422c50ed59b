"""The benchmark's pure helpers: wrk's summary line, error counting, ratios to the baseline."""

from __future__ import annotations

import pytest

from bench.results import (
    Run,
    WrkSummary,
    combine,
    count_errors,
    markdown_table,
    parse_wrk,
    target_lines,
)

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000
  2 threads and 16 connections
BENCH_JSON {"requests":5000,"duration_us":10000000,"p50_us":4200,"p99_us":21500,\
"socket_errors":1,"statuses":{"200":4000,"409":500,"400":250,"401":240,"503":10}}
"""


def test_parse_wrk_reads_the_summary_line() -> None:
    summary = parse_wrk(WRK_OUTPUT)
    assert summary.rate == 500
    assert (summary.p50_ms, summary.p99_ms) == (4.2, 21.5)
    assert summary.statuses[409] == 500


def test_parse_wrk_without_summary_is_an_error() -> None:
    with pytest.raises(ValueError, match="BENCH_JSON"):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused")


def test_errors_are_socket_errors_and_statuses_the_load_does_not_expect() -> None:
    summary = parse_wrk(WRK_OUTPUT)
    assert count_errors(summary, "mixed") == 1 + 10
    assert count_errors(summary, "new") == 1 + 500 + 250 + 240 + 10


def test_table_gives_ratios_to_the_baseline_of_the_same_workers_load_and_size() -> None:
    def run(target: str, rate: int, p99_us: float, stored: int = 0) -> Run:
        summary = WrkSummary(rate * 10, 10.0, 1.0, p99_us, 0, {200: rate * 10})
        return Run(target, "postgresql", "new", 2, stored, summary, rss_mb=80)

    table = markdown_table(
        [run("baseline", 1000, 10), run("service", 800, 15), run("service", 700, 15, 10**6)]
    )
    rows = table.splitlines()[2:]
    assert "| 800 | 0.80 |" in rows[1]
    assert "| 15.0 | 1.50 |" in rows[1]
    assert "| 1M |" in rows[2]
    assert "| 700 | - |" in rows[2]  # no baseline measured with 1M stored


def test_target_lines_compare_growth_to_the_empty_table_and_service_to_baseline() -> None:
    def run(target: str, load: str, rate: int, stored: int = 0) -> Run:
        summary = WrkSummary(rate * 10, 10.0, 1.0, 20.0, 0, {200: rate * 10})
        return Run(target, "postgresql", load, 2, stored, summary, rss_mb=90)

    lines = target_lines(
        [
            run("baseline", "new", 1000),
            run("service", "new", 800),
            run("service", "half", 400),
            Run("service", "postgresql", "new", 2, 0, _summary(800), step="growth"),
            Run("service", "postgresql", "new", 2, 10**6, _summary(760), step="growth"),
        ]
    )
    assert "new: 0.80 of the baseline" in lines[0]
    assert "p99 at 400 req/s" in lines[1]
    assert lines[2].startswith("- service, postgresql")
    assert "1,000,000 stored: 0.95 of the empty-table rate" in lines[2]
    assert "90 MB RSS" in lines[3]


def _summary(rate: int) -> WrkSummary:
    return WrkSummary(rate * 10, 10.0, 1.0, 20.0, 0, {200: rate * 10})


def test_combine_adds_counts_and_averages_latencies() -> None:
    one = WrkSummary(100, 1.0, 2.0, 10.0, 1, {200: 99})
    two = WrkSummary(300, 1.0, 4.0, 30.0, 0, {200: 299, 409: 1})
    both = combine([one, two])
    assert both.rate == 200
    assert (both.p50_ms, both.p99_ms) == (3.0, 20.0)
    assert both.statuses == {200: 398, 409: 1}
    assert both.socket_errors == 1
