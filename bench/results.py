"""Pure helpers of the benchmark: parse wrk's summary line, count errors, tabulate ratios."""

from __future__ import annotations

import json
from dataclasses import dataclass

MARKER = "BENCH_JSON "
# Statuses a mixed load is meant to produce: new, invalid, bad key, duplicate.
EXPECTED = {"new": {200}, "half": {200}, "mixed": {200, 400, 401, 409}}


@dataclass(frozen=True, slots=True)
class WrkSummary:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    statuses: dict[int, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass(frozen=True, slots=True)
class Run:
    """One wrk run against one server: what was measured and under which conditions."""

    target: str  # "service" or "baseline"
    backend: str  # "postgresql" or "sqlite"
    load: str  # "new", "half" or "mixed"
    workers: int
    stored: int  # prospects in the table before the run
    summary: WrkSummary
    rss_mb: float | None = None
    step: str = "main"  # "growth": the empty and full tables measured in turns

    @property
    def errors(self) -> int:
        return count_errors(self.summary, self.load)

    @property
    def key(self) -> tuple[str, int, str, int]:
        return (self.step, self.workers, self.load, self.stored)


def parse_wrk(output: str) -> WrkSummary:
    """The summary our Lua script's done() prints; ValueError when wrk printed none."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            raw = json.loads(line[len(MARKER) :])
            return WrkSummary(
                requests=raw["requests"],
                seconds=raw["duration_us"] / 1e6,
                p50_ms=raw["p50_us"] / 1000,
                p99_ms=raw["p99_us"] / 1000,
                socket_errors=raw["socket_errors"],
                statuses={int(status): n for status, n in raw["statuses"].items()},
            )
    raise ValueError(f"no {MARKER.strip()} line in wrk output:\n{output}")


def combine(summaries: list[WrkSummary]) -> WrkSummary:
    """Several runs of one load as one: counts add up, latencies are the runs' mean."""
    statuses: dict[int, int] = {}
    for summary in summaries:
        for status, n in summary.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    return WrkSummary(
        requests=sum(s.requests for s in summaries),
        seconds=sum(s.seconds for s in summaries),
        p50_ms=sum(s.p50_ms for s in summaries) / len(summaries),
        p99_ms=sum(s.p99_ms for s in summaries) / len(summaries),
        socket_errors=sum(s.socket_errors for s in summaries),
        statuses=statuses,
    )


def count_errors(summary: WrkSummary, load: str) -> int:
    """Socket errors plus every response whose status this load is not meant to produce."""
    expected = EXPECTED[load]
    unexpected = sum(n for status, n in summary.statuses.items() if status not in expected)
    return summary.socket_errors + unexpected


def ratio(value: float, base: float | None) -> str:
    return f"{value / base:.2f}" if base else "-"


def markdown_table(runs: list[Run]) -> str:
    """One row per run; ratios are to the baseline run of the same step, workers, load and
    table size (SQLite rows: to the PostgreSQL baseline with as many workers)."""
    baselines = {run.key: run.summary for run in runs if run.target == "baseline"}
    lines = [
        "| step | server | database | workers | stored | load | req/s | x base | p50 ms | x base "
        "| p99 ms | x base | errors | max RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        s, base = run.summary, baselines.get(run.key)
        lines.append(
            f"| {run.step} | {run.target} | {run.backend} | {run.workers} | {_count(run.stored)} "
            f"| {run.load} "
            f"| {s.rate:.0f} | {ratio(s.rate, base and base.rate)} "
            f"| {s.p50_ms:.1f} | {ratio(s.p50_ms, base and base.p50_ms)} "
            f"| {s.p99_ms:.1f} | {ratio(s.p99_ms, base and base.p99_ms)} "
            f"| {run.errors} | {f'{run.rss_mb:.0f}' if run.rss_mb else '-'} |"
        )
    return "\n".join(lines)


def _count(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k" if n >= 1000 else str(n)


def target_lines(runs: list[Run]) -> list[str]:
    """The issue's targets, each with the measured figure, from the runs of one bench."""
    by = {(r.step, r.target, r.backend, r.workers, r.load, r.stored): r.summary for r in runs}
    lines = []
    for run in runs:
        s = run.summary
        if run.target != "service" or run.step != "main":
            continue
        base = by.get(("main", "baseline", "postgresql", run.workers, run.load, 0))
        where = f"{run.backend}, {run.workers} worker(s)"
        if run.backend == "postgresql" and run.load == "new" and base is not None:
            lines.append(f"- {where}, new: {s.rate / base.rate:.2f} of the baseline (target 0.7)")
        if run.backend == "postgresql" and run.load == "half":
            lines.append(
                f"- {where}, p99 at {s.rate:.0f} req/s, half the maximum: {s.p99_ms:.1f} ms "
                "(target 50)"
            )
        if run.backend == "sqlite" and run.load == "new":
            lines.append(f"- {where}, new: {s.rate:.0f} prospects/s (target 800)")
    for run in runs:
        empty = by.get((run.step, run.target, run.backend, run.workers, run.load, 0))
        if run.stored and run.load == "new" and empty is not None:
            lines.append(
                f"- {run.target}, {run.backend}, {run.workers} worker(s), {run.stored:,} stored: "
                f"{run.summary.rate / empty.rate:.2f} of the empty-table rate (target 0.9)"
            )
    rss = [r.rss_mb for r in runs if r.target == "service" and r.rss_mb]
    if rss:
        lines.append(f"- largest server process after the runs: {max(rss):.0f} MB RSS (target 200)")
    return lines
