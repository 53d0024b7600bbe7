"""Large imports as jobs (filled in below)."""

from __future__ import annotations


def sheet_job_kinds_register() -> None:
    return None
