"""What every section of ``manage.py bench`` shares: the data sizes, timing,
the SQL a request sends, a figure held to its budget, and how verdicts print."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.test import Client

SIZE_S = 1_500
SIZE_L = 100_000
DEFAULT_SIZES = (SIZE_S, SIZE_L)
WARMUPS = 3


def size_label(size: int) -> str:
    """S up to one city (1,500), L from a prefecture (100,000), M between."""
    if size <= SIZE_S:
        return "S"
    return "L" if size >= SIZE_L else "M"


@dataclass
class Check:
    """One figure held to one budget."""

    name: str
    value: float
    limit: float
    op: str  # "<=" or ">="
    unit: str = ""

    @property
    def passed(self) -> bool:
        return self.value <= self.limit if self.op == "<=" else self.value >= self.limit

    def as_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed}


@dataclass
class Context:
    """What a section runs with: the size, its label (S/M/L), the repeat count,
    the database vendor, the progress printer and an anonymous client."""

    size: int
    label: str
    repeat: int
    vendor: str
    say: Callable[[str], None]
    client: Client = field(default_factory=Client)


# Timing ------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Linear-interpolated percentile (fraction 0.5 = median)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def timed(action: Callable[[], object], repeat: int, warmups: int = WARMUPS) -> list[float]:
    """Milliseconds of each of ``repeat`` runs of ``action``, after ``warmups``."""
    for _ in range(warmups):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict:
    return {"p50": round(percentile(samples, 0.5), 2), "p95": round(percentile(samples, 0.95), 2)}


def captured_sql(action: Callable[[], object]) -> list[tuple[str, object]]:
    """The statements (SQL and parameters) that ``action`` sends to the database."""
    statements: list[tuple[str, object]] = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        action()
    return statements


def run_statements(statements: list[tuple[str, object]]) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            if cursor.description is not None:  # a SELECT, not a SAVEPOINT
                cursor.fetchall()


# Printing ----------------------------------------------------------------


def verdict(check: Check | None) -> str:
    if check is None:
        return "—"
    mark = "PASS" if check.passed else "FAIL"
    return f"{check.op}{check.limit:g} {mark}"


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 2) if denominator else None


def num(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
