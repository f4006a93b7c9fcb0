"""Benchmark: gunicorn (2 sync workers) on PostgreSQL, logged-in learner pages, bounded in time.

Loopback only. Prints requests/s and latency percentiles per page. Run with `make bench`.
"""

from __future__ import annotations

import http.client
import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8765
SECONDS_PER_PAGE = float(os.environ.get("BENCH_SECONDS", "8"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
ENV = {
    **os.environ,
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/careerpath_bench"),
    "CELERY_BROKER_URL": "",
    "LOG_LEVEL": "WARNING",
}
PY = sys.executable


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def prepare() -> None:
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "careerpath_bench"], stderr=subprocess.DEVNULL)
    manage("migrate", "--no-input")
    manage("import_content")
    manage("collectstatic", "--no-input")
    script = (
        "from django.contrib.auth.models import User\n"
        "from django.utils import timezone\n"
        "from assessments.models import LearnerProfile, Level, Competency\n"
        "from assessments.ratings import self_rating_record\n"
        "u, _ = User.objects.get_or_create(username='bench'); u.set_password('bench-pass-123'); u.save()\n"
        "levels = list(Level.objects.order_by('order'))\n"
        "LearnerProfile.objects.update_or_create(user=u, defaults={'current_level': levels[0], 'target_level': levels[2]})\n"
        "for c in Competency.objects.all(): self_rating_record(learner_id=u.pk, competency=c, proficiency=c.pk % 4, now=timezone.now())\n"
    )
    subprocess.run([PY, "manage.py", "shell", "-c", script], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def login() -> str:
    conn = http.client.HTTPConnection("127.0.0.1", PORT)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = f"csrfmiddlewaretoken={token}&username=bench&password=bench-pass-123"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}",
               "Referer": f"http://127.0.0.1:{PORT}/accounts/login/"}  # fmt: skip
    conn.request("POST", "/accounts/login/", body=form, headers=headers)
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if not session:
        raise SystemExit("bench: log-in failed")
    return f"csrftoken={csrf_cookie}; sessionid={session.group(1)}"


def hammer(path: str, cookie: str, until: float) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT)
    latencies = []
    while time.monotonic() < until:
        start = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"bench: {path} answered {response.status}")
        latencies.append(time.perf_counter() - start)
    return latencies


def main() -> None:
    prepare()
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
        cookie = login()
        print(f"{'page':<22}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}   ({CLIENTS} clients, {SECONDS_PER_PAGE:g} s each)")
        for path in [
            "/healthz",
            "/",
            "/dashboard/",
            "/assess/databases/",
            "/quizzes/",
            "/results/",
            "/roadmap/",
            "/matrix/",
        ]:
            until = time.monotonic() + SECONDS_PER_PAGE
            with ThreadPoolExecutor(CLIENTS) as pool:
                runs = list(pool.map(lambda _, p=path, u=until: hammer(p, cookie, u), range(CLIENTS)))
            latencies = sorted(x for run in runs for x in run)
            p95 = latencies[int(len(latencies) * 0.95) - 1]
            print(
                f"{path:<22}{len(latencies) / SECONDS_PER_PAGE:>8.0f}{statistics.median(latencies) * 1000:>9.1f}{p95 * 1000:>9.1f}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
