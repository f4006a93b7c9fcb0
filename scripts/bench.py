"""Benchmark: gunicorn (2 sync workers, DEBUG off, persistent connections, Redis cache) on PostgreSQL
with the shipped content and learners as real ones look (scripts/bench_seed.py), loaded by wrk.

This machine's absolute figures swing by 3x, so each page runs between two runs of a one-query floor
view and is reported as a share of the floor's requests/s measured around it:

    <page>: <req/s> req/s, p50 <ms>, p99 <ms>, <ratio> of floor

Run with `make bench` (BENCH_SECONDS per run, default 10; BENCH_CONNECTIONS, default 8;
BENCH_ONLY=pages or BENCH_ONLY=roadmap for one half).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
ENV = {
    **os.environ,
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/careerpath_bench"),
    "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15"),
    "CONN_MAX_AGE": "60",
    "CELERY_BROKER_URL": "",  # the seed's recomputes run in-process; the pages only read
    "BENCH_FLOOR": "1",
    "LOG_LEVEL": "WARNING",
}
PY = sys.executable


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def django_eval(code: str) -> str:
    script = f"import django; django.setup()\n{code}"
    env = {**ENV, "DJANGO_SETTINGS_MODULE": "careerpath.settings", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([PY, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def prepare() -> tuple[str, str, str]:
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "careerpath_bench"], stderr=subprocess.DEVNULL)
    manage("migrate", "--no-input")
    manage("import_content")
    manage("collectstatic", "--no-input")
    started = time.monotonic()
    django_eval("from scripts.bench_seed import seed; seed()")
    # Statistics as the data is now: a database kept from an earlier run holds the recompute bench's
    # 10,000 roadmaps, written after the seed's ANALYZE (stale figures made the mentor dashboard of
    # 500 mentees 4.7x slower than that of 10, against 1.25x after ANALYZE).
    django_eval("from django.db import connection; connection.cursor().execute('ANALYZE')")
    print(f"(seeded in {time.monotonic() - started:.0f} s)", file=sys.stderr)
    question, answer, choice = django_eval(
        "from scripts.bench_seed import open_attempt_path; print(*open_attempt_path())"
    ).split()
    return question, answer, choice


def login(username: str) -> tuple[str, str]:
    """Log in through the form; returns the Cookie header and the CSRF token for posts."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = f"csrfmiddlewaretoken={token}&username={username}&password=bench-pass-123"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}"}
    conn.request("POST", "/accounts/login/", body=form, headers=headers)
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if not session:
        raise SystemExit(f"bench: log-in as {username} failed ({response.status})")
    return f"csrftoken={csrf_cookie}; sessionid={session.group(1)}", token


@dataclass(frozen=True)
class Run:
    rate: float
    p50_ms: float
    p99_ms: float


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(path: str, *, cookie: str = "", post: str = "", token: str = "") -> Run:
    """One wrk run against the path (a POST of ``post`` as an htmx autosave when given)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f'wrk.headers["Cookie"] = "{cookie}"\n')
        if post:
            script.write(
                f'wrk.method = "POST"\nwrk.body = "{post}"\n'
                'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
                f'wrk.headers["X-CSRFToken"] = "{token}"\nwrk.headers["HX-Request"] = "true"\n'
            )
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-s", script.name, BASE + path],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    if "Non-2xx or 3xx responses" in out:
        raise SystemExit(f"bench: {path} answered errors:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    return Run(rate, p50, p99)


BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")


def roadmap_bench() -> None:
    """The planner on one core, and recomputing every learner through Celery on 2 worker processes."""
    print(django_eval("from scripts.bench_roadmap import planner_rate; print(planner_rate())"))
    started = time.monotonic()
    learners = django_eval("from scripts.bench_roadmap import recompute_seed; print(recompute_seed())")
    print(f"(recompute learners: {learners}, ready in {time.monotonic() - started:.0f} s)", file=sys.stderr)
    env = {**ENV, "CELERY_BROKER_URL": BROKER, "DJANGO_SETTINGS_MODULE": "careerpath.settings", "PYTHONPATH": str(ROOT)}
    subprocess.run([PY, "-m", "celery", "-A", "careerpath", "purge", "-f"], cwd=ROOT, env=env, capture_output=True)
    worker = subprocess.Popen(
        [PY, "-m", "celery", "-A", "careerpath", "worker", "--concurrency", "2", "--loglevel", "WARNING",
         "--without-heartbeat", "--without-mingle", "--without-gossip", "-n", "bench@%h"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            ping = subprocess.run(
                [PY, "-m", "celery", "-A", "careerpath", "inspect", "ping", "-t", "1"],
                cwd=ROOT, env=env, capture_output=True, text=True,
            )  # fmt: skip
            if ping.returncode == 0:
                break

        def run(code: str) -> tuple[str, str]:
            script = f"import django; django.setup()\n{code}"
            done = subprocess.run([PY, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
            count, seconds, *_ = done.stdout.split()
            return count, seconds

        count, seconds = run("from scripts import bench_roadmap as b; b.recompute_reset(); print(b.recompute_run())")
        print(
            f"recompute (first computation, every standing estimated): {count} learners in {seconds} s "
            "on 2 worker processes"
        )
        count, seconds = run(
            "from scripts import bench_roadmap as b; b.content_change(1); print(b.recompute_run()); b.content_change(-1)"
        )
        print(
            f"recompute: {count} learners in {seconds} s on 2 worker processes "
            "(a content change: every plan rewritten, standings current)"
        )
        run("from scripts import bench_roadmap as b; print(b.recompute_run())")  # back to the shipped hours
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def main() -> None:
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
    question, answer, choice = prepare()
    if os.environ.get("BENCH_ONLY") == "roadmap":
        roadmap_bench()
        return
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "careerpath.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=ENV,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        learner, token = login("bench")
        mentor10, _ = login("mentor10")
        mentor500, _ = login("mentor500")
        mentee_id = django_eval(
            "from django.contrib.auth.models import User; print(User.objects.get(username='bench').pk)"
        )
        pages = [
            ("quiz question page", question, learner, ""),
            ("answer autosave", answer, learner, f"choice={choice}"),
            ("dashboard", "/dashboard/", learner, ""),
            ("results", "/results/", learner, ""),
            ("self-assessment area", "/assess/databases/", learner, ""),
            ("roadmap", "/roadmap/", learner, ""),
            ("mentee page", f"/mentor/mentees/{mentee_id}/", mentor10, ""),
            ("mentor dashboard (10)", "/mentor/", mentor10, ""),
            ("mentor dashboard (500)", "/mentor/", mentor500, ""),
        ]
        print(
            f"# wrk: {CONNECTIONS} connections, {SECONDS} s a run; gunicorn 2 sync workers; each page between two floor runs"
        )
        floor = wrk("/bench/floor")
        print(f"floor (one query): {floor.rate:.0f} req/s, p50 {floor.p50_ms:.1f} ms, p99 {floor.p99_ms:.1f} ms")
        for name, path, cookie, post in pages:
            run = wrk(path, cookie=cookie, post=post, token=token)
            after = wrk("/bench/floor")
            around = (floor.rate + after.rate) / 2
            print(
                f"{name}: {run.rate:.0f} req/s, p50 {run.p50_ms:.1f} ms, p99 {run.p99_ms:.1f} ms, "
                f"{run.rate / around:.2f} of floor"
            )
            floor = after
    finally:
        server.terminate()
        server.wait(timeout=10)
    if os.environ.get("BENCH_ONLY") != "pages":
        roadmap_bench()


if __name__ == "__main__":
    main()
