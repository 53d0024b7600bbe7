"""The throughput section of ``manage.py bench``: the search page served the way
it is deployed (gunicorn, two workers, on a free local port against the bench
database), driven by ``wrk`` (``scripts/system-deps.sh bench`` installs it;
without it the figure is skipped)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlencode

from django.conf import settings as django_settings
from django.core.management.base import CommandError
from django.db import connection

from bench.database import database_url
from bench.measure import Check, Context, verdict
from bench.search import QUERY_SHAPES

# Budgets (DESIGN.md "Performance budgets").
THROUGHPUT_RPS = 200.0
THROUGHPUT_ERRORS = 0

# Throughput: gunicorn as deployed (README "Deploy"), wrk in one thread (light on
# the two cores it shares with the server).
GUNICORN_WORKERS = 2
WRK_SECONDS = 10
WRK_CONNECTIONS = 8
SERVER_START_SECONDS = 30

# wrk's script: the search URLs in turn; every answer other than 200 counted; one
# line of JSON at the end (wrk's own summary counts only status >= 400).
WRK_SCRIPT = """
local paths = {PATHS}
local threads = {}
local index = 0
non200 = 0

function setup(thread)
  table.insert(threads, thread)
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function done(summary, latency, requests)
  local non200_total = 0
  for _, thread in ipairs(threads) do non200_total = non200_total + thread:get("non200") end
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %.0f, "duration_us": %.0f, "non_200": %.0f, "connect": %.0f, '
    .. '"read": %.0f, "write": %.0f, "timeout": %.0f, "p50_us": %.0f, "p99_us": %.0f, '
    .. '"max_us": %.0f}\\n',
    "WRK_MARKER", summary.requests, summary.duration, non200_total, e.connect, e.read,
    e.write, e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
"""
WRK_MARKER = "bench-wrk "


def search_paths() -> list[str]:
    """The five shapes' URLs, percent-encoded as they go on the wire."""
    return [f"/resources/?{urlencode(parse_qsl(shape.query))}" for shape in QUERY_SHAPES]


def wrk_script(paths: list[str]) -> str:
    listed = ", ".join(json.dumps(path) for path in paths)  # ASCII: Lua reads them as is
    return WRK_SCRIPT.replace("{PATHS}", "{" + listed + "}").replace("WRK_MARKER", WRK_MARKER)


def parse_wrk(output: str) -> dict:
    """The figures of a wrk run from the line WRK_SCRIPT writes at the end."""
    for line in output.splitlines():
        if line.startswith(WRK_MARKER):
            raw = json.loads(line[len(WRK_MARKER) :])
            break
    else:
        raise CommandError(f"wrk の出力に結果がありません:\n{output[-2000:]}")
    seconds = raw["duration_us"] / 1e6
    socket_errors = {name: int(raw[name]) for name in ("connect", "read", "write", "timeout")}
    return {
        "requests": int(raw["requests"]),
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "non_200": int(raw["non_200"]),
        "socket_errors": socket_errors,
        "errors": int(raw["non_200"]) + sum(socket_errors.values()),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@contextmanager
def gunicorn_server(database: str, environ: dict[str, str]) -> Iterator[str]:
    """gunicorn (portal.wsgi, GUNICORN_WORKERS workers, DEBUG off) on a free local
    port against ``database``; yields its base URL once the search page answers 200,
    and stops it afterwards, whatever happened."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database, "DEBUG": "0", **environ}
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi"]
    command += ["--workers", str(GUNICORN_WORKERS), "--bind", f"127.0.0.1:{port}"]
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(
            command,
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers go with it
        )

        def fail(message: str) -> CommandError:
            log.seek(0)
            return CommandError(f"{message}\n{log.read()[-3000:]}")

        try:
            deadline = time.monotonic() + SERVER_START_SECONDS
            ready = base + search_paths()[0]
            while (status := _get_status(ready)) != 200:
                if server.poll() is not None:
                    raise fail(f"gunicorn が終了しました（{server.returncode}）。")
                if status is not None or time.monotonic() > deadline:
                    raise fail(f"gunicorn が {ready} に 200 を返しません（{status}）。")
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


class ThroughputSection:
    """Requests per second of the search page from gunicorn with two workers, as
    deployed, driven by wrk over the five shapes; at S only. Warm (the cache as
    configured) is held to the budget; cold (SEARCH_CACHE_SECONDS=0) is shown."""

    key = "throughput"
    title = "スループット（検索ページ、gunicorn）"

    def run(self, ctx: Context) -> dict | None:
        if ctx.label != "S":
            return None
        wrk = shutil.which("wrk")
        if wrk is None:
            message = (
                "wrk がありません（make bench か apt-get install wrk で入ります）。"
                "スループットは測りません。"
            )
            ctx.say(f"  {message}")
            return {"skipped": message}
        database = database_url(connection.settings_dict)
        cache_seconds = getattr(django_settings, "SEARCH_CACHE_SECONDS", 300)
        figures: dict = {
            "workers": GUNICORN_WORKERS,
            "connections": WRK_CONNECTIONS,
            "duration_s": WRK_SECONDS,
            "paths": search_paths(),
            "cache_seconds": cache_seconds,
        }
        for mode, seconds in (("warm", cache_seconds), ("cold", 0)):
            ctx.say(f"  スループット {mode}: SEARCH_CACHE_SECONDS={seconds}, {WRK_SECONDS} 秒")
            with gunicorn_server(database, {"SEARCH_CACHE_SECONDS": str(seconds)}) as base:
                figures[mode] = self._load(wrk, base)
        return figures

    def _load(self, wrk: str, base: str) -> dict:
        paths = search_paths()
        for path in paths * 4:  # both workers: templates loaded, pages cached
            _get_status(base + path)
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as file:
            file.write(wrk_script(paths))
            file.flush()
            command = [wrk, "--threads", "1", "--connections", str(WRK_CONNECTIONS)]
            command += ["--duration", f"{WRK_SECONDS}s", "--timeout", "5s", "--script", file.name]
            done = subprocess.run(
                [*command, base],
                capture_output=True,
                text=True,
                timeout=WRK_SECONDS + 60,
            )
        if done.returncode != 0:
            raise CommandError(f"wrk が失敗しました（{done.returncode}）: {done.stderr[-2000:]}")
        return parse_wrk(done.stdout)

    def checks(self, figures: dict | None, ctx: Context) -> list[Check]:
        if not figures or "skipped" in figures:
            return []
        warm = figures["warm"]
        return [
            Check("throughput rps", warm["rps"], THROUGHPUT_RPS, ">=", "req/s"),
            Check("throughput errors", warm["errors"], THROUGHPUT_ERRORS, "<="),
        ]

    def render(self, figures: dict | None, ctx: Context, checks: dict[str, Check]) -> list[str]:
        if not figures:
            return []
        if "skipped" in figures:
            return [self.title, f"skipped: {figures['skipped']}"]
        f = figures
        lines = [
            f"{self.title} — {f['workers']} workers, wrk 1 thread {f['connections']} connections "
            f"{f['duration_s']} s, the {len(f['paths'])} shapes in turn",
        ]
        for mode, label in (("warm", "温 warm"), ("cold", "冷 cold")):
            m = f[mode]
            seconds = f["cache_seconds"] if mode == "warm" else 0
            if mode == "warm":
                rps = verdict(checks.get("throughput rps"))
                errors = verdict(checks.get("throughput errors"))
            else:
                rps = errors = "(info)"
            lines.append(
                f"{label} (SEARCH_CACHE_SECONDS={seconds}): {m['rps']:,.1f} req/s {rps}  "
                f"errors {m['errors']} {errors}  p50 {m['p50_ms']:.1f} ms  "
                f"p99 {m['p99_ms']:.1f} ms  ({m['requests']:,} requests in {m['seconds']:.1f} s)"
            )
            if m["errors"]:
                kinds = {"non-200": m["non_200"], **m["socket_errors"]}
                lines.append("  errors: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
        return lines
