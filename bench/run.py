"""`make bench`: the intake under wrk load on PostgreSQL and SQLite, next to the raw baseline.

For each database it creates a fresh store (a PostgreSQL database on 127.0.0.1:5432, dropped
after; a SQLite file in a temporary directory), migrates it, seeds the demo organization and
an ILS key, starts the server, and runs wrk: unique new prospects at full speed, the same at
half that rate (for p99 under ordinary load), and a mixed load. With --with-growth it then
stores 1,000,000 prospects and repeats the PostgreSQL runs. All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench.results import Run, WrkSummary, combine, markdown_table, parse_wrk, target_lines

HERE = Path(__file__).resolve().parent
LUA = HERE / "wrk" / "intake.lua"
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
GROWTH_ROWS = 1_000_000
# One digit per run, so the phone numbers of the runs on one table never collide.
SALTS = {"warmup": 2, "new": 3, "calibrate": 4, "half": 5, "mixed": 6}
GROWTH_PHONE_DIGIT = 9  # the preloaded rows: +19........
BASELINE_TABLE = (
    "CREATE TABLE baseline_prospect (LIKE prospect INCLUDING DEFAULTS INCLUDING INDEXES)"
)


def main() -> None:
    args = _arguments()
    _require_wrk()
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="ils-bench-") as tmp:
        workdir = Path(tmp)
        if "postgresql" in args.databases:
            runs += _postgresql_runs(args, workdir)
        if "sqlite" in args.databases:
            runs += _sqlite_runs(args, workdir)
    table = markdown_table(runs) + "\n\n" + "\n".join(target_lines(runs))
    print(table)
    if args.write_results:
        args.write_results.write_text(_results_page(table, args))
        print(f"\nwritten to {args.write_results}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="server workers on PostgreSQL")
    parser.add_argument("--sqlite-workers", type=int, default=1, help="server workers on SQLite")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--databases", default="postgresql,sqlite", help="comma-separated: postgresql,sqlite"
    )
    parser.add_argument(
        "--with-growth", action="store_true", help=f"repeat with {GROWTH_ROWS:,} stored prospects"
    )
    parser.add_argument("--growth-rows", type=int, default=GROWTH_ROWS, help=argparse.SUPPRESS)
    parser.add_argument("--write-results", type=Path, help="write a RESULTS.md page here")
    parser.add_argument("--shared-machine", action="store_true", help="note that in RESULTS.md")
    return parser.parse_args()


def _require_wrk() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk (make bench does it)")


# --- PostgreSQL ---------------------------------------------------------------------------


def _postgresql_runs(args: argparse.Namespace, workdir: Path) -> list[Run]:
    with _database() as url:
        env, seed = _prepare_postgresql(url)
        runs: list[Run] = []
        worker_counts = sorted({args.workers, args.sqlite_workers}, reverse=True)
        for workers in worker_counts:
            _empty_tables(url)
            for target in ("baseline", "service"):
                cmd, run_env = _server(target, workers, env, url)
                runs += _measure(
                    args,
                    workdir,
                    cmd,
                    run_env,
                    seed,
                    target=target,
                    backend="postgresql",
                    workers=workers,
                )
        if args.with_growth:
            runs += _growth_runs(args, workdir, url, env, seed)
        return runs


@contextmanager
def _database() -> Iterator[str]:
    """A fresh PostgreSQL database with the baseline's table, dropped afterwards."""
    name = f"ils_bench_{uuid.uuid4().hex[:8]}"
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _prepare_postgresql(url: str) -> tuple[dict[str, str], dict[str, str]]:
    """Migrate and seed the service's tables, and create the baseline's beside them."""
    env = _service_env(url)
    seed = _seed(env)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(BASELINE_TABLE)
    return env, seed


def _server(
    target: str, workers: int, env: dict[str, str], url: str
) -> tuple[list[str], dict[str, str]]:
    if target == "baseline":
        cmd = [str(BIN / "python"), "-m", "bench.baseline", "--workers", str(workers)]
        return cmd, {**env, "BENCH_DATABASE_URL": url}
    return [str(BIN / "ils-intake"), "serve", "--workers", str(workers)], env


def _growth_runs(
    args: argparse.Namespace, workdir: Path, url: str, env: dict[str, str], seed: dict[str, str]
) -> list[Run]:
    """An emptied table against one with 1,000,000 prospects, in a second database.

    Both servers run at once and are measured in turns (empty, full, empty, full), so that a
    shared machine's drift falls on both alike.
    """
    _empty_tables(url)
    with _database() as grown_url:
        grown_env, grown_seed = _prepare_postgresql(grown_url)
        _store_prospects(grown_url, args.growth_rows)
        stores = [(0, url, env, seed), (args.growth_rows, grown_url, grown_env, grown_seed)]
        runs: list[Run] = []
        for target in ("baseline", "service"):
            runs += _measure_in_turns(args, workdir, target, stores)
        return runs


def _measure_in_turns(
    args: argparse.Namespace,
    workdir: Path,
    target: str,
    stores: list[tuple[int, str, dict[str, str], dict[str, str]]],
) -> list[Run]:
    with ExitStack() as stack:
        servers = []
        for stored, url, env, seed in stores:
            cmd, run_env = _server(target, args.workers, env, url)
            port = _free_port()
            log = workdir / f"growth-{target}-{stored}.log"
            server = stack.enter_context(_serving([*cmd, "--port", str(port)], run_env, port, log))
            wrk = _Wrk(args, port, seed)
            wrk.run("new", SALTS["warmup"], seconds=2)
            servers.append((stored, server, wrk))
        new: dict[int, list[WrkSummary]] = {stored: [] for stored, _, _ in servers}
        for salt in (SALTS["new"], SALTS["calibrate"]):
            for stored, _, wrk in servers:
                new[stored].append(wrk.run("new", salt))
        runs = []
        for stored, server, wrk in servers:
            mixed = wrk.run("mixed", SALTS["mixed"])
            rss = max(_rss_mb(pid) for pid in _server_processes(server.pid))
            for load, summary in (("new", combine(new[stored])), ("mixed", mixed)):
                run = Run(target, "postgresql", load, args.workers, stored, summary, rss, "growth")
                _report(run)
                runs.append(run)
        return runs


def _empty_tables(url: str) -> None:
    """Start each pair from known contents: earlier runs' rows would be growth."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE prospect_activity, intake_log, prospect, baseline_prospect")


def _store_prospects(url: str, rows: int) -> None:
    """Bulk-load `rows` prospects (and as many baseline rows) with generate_series."""
    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        key_id, organization_id = conn.execute(
            "SELECT id, organization_id FROM api_key WHERE kind = 'ils' LIMIT 1"
        ).fetchone()
        for table in ("prospect", "baseline_prospect"):
            conn.execute(
                f"""
                INSERT INTO {table} (id, organization_id, property_id, first_name, last_name,
                    phone_number, phone_e164, email_address, email_normalized, source,
                    api_key_id, created_at, updated_at)
                SELECT gen_random_uuid()::text, %(org)s, p.id, 'Stored', 'Lead',
                    '+1{GROWTH_PHONE_DIGIT}' || lpad(i::text, 9, '0'),
                    '+1{GROWTH_PHONE_DIGIT}' || lpad(i::text, 9, '0'),
                    's' || i || '@stored.example', 's' || i || '@stored.example', 'Stored',
                    %(key)s, now() - i * interval '1 second', now()
                FROM generate_series(1, %(rows)s) AS i, (SELECT id FROM property LIMIT 1) AS p
                """,
                {"org": organization_id, "key": key_id, "rows": rows},
            )
        conn.execute("VACUUM ANALYZE prospect")
        conn.execute("VACUUM ANALYZE baseline_prospect")
        conn.execute("CHECKPOINT")  # the load's dirty pages are written now, not during a run
    print(f"stored {rows:,} prospects in {time.monotonic() - started:.0f} s", file=sys.stderr)


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_runs(args: argparse.Namespace, workdir: Path) -> list[Run]:
    env = _service_env(f"sqlite:///{workdir / 'bench.db'}")
    seed = _seed(env)
    cmd = [str(BIN / "ils-intake"), "serve", "--workers", str(args.sqlite_workers)]
    return _measure(
        args,
        workdir,
        cmd,
        env,
        seed,
        target="service",
        backend="sqlite",
        workers=args.sqlite_workers,
    )


# --- one server ---------------------------------------------------------------------------


def _measure(
    args: argparse.Namespace,
    workdir: Path,
    cmd: list[str],
    env: dict[str, str],
    seed: dict[str, str],
    *,
    target: str,
    backend: str,
    workers: int,
) -> list[Run]:
    """Warm up, then full-speed new, half-rate new and mixed runs."""
    port = _free_port()
    log = workdir / f"{target}-{backend}-{workers}w.log"
    results: dict[str, WrkSummary] = {}
    with _serving([*cmd, "--port", str(port)], env, port, log) as server:
        wrk = _Wrk(args, port, seed)
        wrk.run("new", SALTS["warmup"], seconds=2)
        results["new"] = wrk.run("new", SALTS["new"])
        results["half"] = _half_rate(wrk, results["new"].rate, args)
        results["mixed"] = wrk.run("mixed", SALTS["mixed"])
        rss = max(_rss_mb(pid) for pid in _server_processes(server.pid))
    runs = [
        Run(target, backend, load, workers, 0, summary, rss_mb=rss)
        for load, summary in results.items()
    ]
    for run in runs:
        _report(run)
    return runs


def _report(run: Run) -> None:
    s = run.summary
    print(
        f"{run.step} {run.target} {run.backend} {run.workers}w {run.stored:,} stored, "
        f"{run.load}: {s.rate:.0f} req/s p50 {s.p50_ms:.1f} ms p99 {s.p99_ms:.1f} ms "
        f"errors {run.errors} {s.statuses}",
        file=sys.stderr,
    )


def _half_rate(wrk: _Wrk, full_rate: float, args: argparse.Namespace) -> WrkSummary:
    """New prospects at about half of `full_rate`: wrk paces each connection with a delay,
    calibrated once because each request's own time adds to the pause."""
    target = full_rate / 2
    pause = args.connections * 1000 / target
    trial = wrk.run("new", SALTS["calibrate"], seconds=4, delay_ms=pause)
    overhead = max(0.0, args.connections * 1000 / max(trial.rate, 1) - pause)
    return wrk.run("new", SALTS["half"], delay_ms=max(1.0, pause - overhead))


class _Wrk:
    def __init__(self, args: argparse.Namespace, port: int, seed: dict[str, str]) -> None:
        self.args, self.port, self.seed = args, port, seed

    def run(
        self, mode: str, salt: int, *, seconds: int | None = None, delay_ms: float = 0
    ) -> WrkSummary:
        cmd = [
            "wrk",
            f"-t{self.args.threads}",
            f"-c{self.args.connections}",
            f"-d{seconds or self.args.duration}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            f"http://127.0.0.1:{self.port}",
            "--",
            mode,
            str(salt),
            self.seed["ilsApiKey"],
            self.seed["propertyId"],
            self.seed["floorPlanId"],
            f"{delay_ms:.0f}",
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=600)
        return parse_wrk(done.stdout)


@contextmanager
def _serving(
    cmd: list[str], env: dict[str, str], port: int, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        server = subprocess.Popen(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=HERE.parent
        )
        try:
            _wait_ready(port, server, log)
            yield server
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_ready(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"server exited ({server.returncode}):\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"server not ready on port {port}:\n{log.read_text()[-2000:]}")


def _server_processes(root: int) -> list[int]:
    """The server and its worker processes (uvicorn forks workers when there are several)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier]
        tree += frontier
    return tree


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- setup --------------------------------------------------------------------------------


# The per-key rate limit stays on (its cost is part of every request) but far above the load.
BENCH_RATE_LIMIT = "100000000/minute"


def _service_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "ILS_INTAKE_DATABASE_URL": url,
        "ILS_INTAKE_RATE_LIMIT": BENCH_RATE_LIMIT,
        "ILS_INTAKE_AUTH_FAILURE_LIMIT": BENCH_RATE_LIMIT,
    }


def _seed(env: dict[str, str]) -> dict[str, str]:
    """Migrate, then seed the demo organization, property and ILS key through the CLI."""
    ils_intake = str(BIN / "ils-intake")
    subprocess.run([ils_intake, "migrate"], env=env, check=True, capture_output=True)
    done = subprocess.run(
        [ils_intake, "demo", "--json"], env=env, check=True, capture_output=True, text=True
    )
    seed: dict[str, str] = json.loads(done.stdout)
    return seed


def _results_page(table: str, args: argparse.Namespace) -> str:
    command = "make bench BENCH_ARGS='" + " ".join(sys.argv[1:]) + "'"
    shared = (
        "The machine was shared with other work during the run, so single figures are noisy; "
        "the ratios to the baseline, measured in the same run, are the comparable figures.\n\n"
        if args.shared_machine
        else ""
    )
    return f"""# Benchmark results

Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with:

    {command}

Machine: {_machine()}. Service, PostgreSQL and wrk ran on the same machine.

{shared}{table}

- `x base`: the figure divided by the raw baseline's (bench/baseline.py) with the same workers,
  load and table size; above 1 is better for req/s, below 1 is better for latencies.
- `new`: unique new prospects at full speed ({args.connections} connections); `half`: the same
  at about half that rate; `mixed`: 80% new, 10% duplicates, 5% invalid, 5% bad keys.
- `errors`: socket errors plus any status the load is not meant to produce (a 5xx always is).
- `max RSS MB`: the largest resident set of any server process after the runs.
- `stored`: prospects already in the table when the run started; `step` growth: the emptied
  table and the one holding 1,000,000 prospects were served at once and measured in turns
  (new: two rounds each, combined).
- What the service does that the baseline does not, and what was changed to get here:
  docs/PERFORMANCE.md.
"""


def _machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    memory = f"{mem_kb / 1024 / 1024:.0f} GiB memory"
    return f"{os.cpu_count()} CPUs ({cpu}), {memory}, {platform.system()} {platform.release()}"


if __name__ == "__main__":
    main()
