"""A slow kind of job for the tests that run a real worker process.

The worker is started as ``python -c`` with ``register()`` before ``db_worker``
(tests/portal/test_job_worker.py): kinds live in a registry, not in the queue.
"""

from __future__ import annotations

import time

from portal.jobs import JobKind, job_kind_register

SLOW = "test-slow"


def slow_steps(context) -> None:
    """Writes one line a step into its result file, ``params["steps"]`` steps of
    ``params["pause"]`` seconds: killed halfway, it leaves a half-written file."""
    steps = int(context.params.get("steps", 10))
    pause = float(context.params.get("pause", 0.2))
    with context.result_file("ゆっくり.txt") as path, path.open("w") as handle:
        for step in range(1, steps + 1):
            time.sleep(pause)
            handle.write(f"step {step}\n")
            handle.flush()
            context.progress(step, steps, "ゆっくり書いています")


def register() -> None:
    job_kind_register(JobKind(slug=SLOW, title="ゆっくり", run=slow_steps, unit="段"))
