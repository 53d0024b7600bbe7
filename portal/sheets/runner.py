"""The all-or-nothing runner every import goes through.

``sheet_import`` reads the file (``reading``), lays it out (``columns``) and
hands the rows to the kind's ``process(sheet, run)`` inside one transaction.
The transaction is kept only when ``run.may_write()``: not a dry run, no
problem (unless ``skip_invalid``, which keeps the valid rows), and no mass
change waiting for confirmation (``result.confirmation``) unless ``force``.
Otherwise everything the rows wrote is rolled back, so a preview is the real
import, undone. A kind writes row by row (``run.each``: each row in a
savepoint, a row with problems leaves nothing behind) or plans every row first
and writes them at once (resources) when ``run.may_write()``.

Never raises for a bad file: problems are in ``result.errors``, in Japanese,
with their row and column.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from portal.sheets.columns import Columns, Sheet, SheetRow, lay_out
from portal.sheets.problems import Problem, RowErrors, SheetFileError
from portal.sheets.reading import read_path, read_table
from portal.sheets.results import SheetResult

R = TypeVar("R", bound=SheetResult)


class _Rollback(Exception):
    pass


# Where a run reports its progress (done, total, stage): set by an import running
# as a job (portal/sheets/jobs.py), unset in a request or a command.
sheet_progress: ContextVar[Callable[[int, int, str], None] | None] = ContextVar(
    "sheet_progress", default=None
)
PROGRESS_EVERY = 200  # rows between two reports
# Stages a run reports (msgids: the job page shows them through gettext).
STAGE_ROWS = gettext_noop("行を確かめています")
STAGE_PLAN = gettext_noop("登録済みの内容と比べています")
STAGE_WRITE = gettext_noop("書き込んでいます")


class SheetRun:
    """One run of an import: what it may do, and its rows run one by one."""

    def __init__(self, result: SheetResult, *, dry_run: bool, force: bool, skip_invalid: bool):
        self.result = result
        self.dry_run = dry_run
        self.force = force
        self.skip_invalid = skip_invalid
        self._progress = sheet_progress.get()

    def report(self, done: int, total: int, stage: str = "") -> None:
        """Progress for the job page (nothing outside a job); ``stage`` a Japanese msgid."""
        if self._progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            self._progress(done, total, stage)

    def may_write(self) -> bool:
        result = self.result
        return (
            not self.dry_run
            and (self.skip_invalid or not result.errors)
            and (self.force or not result.confirmation)
        )

    def each(self, rows: Iterable[SheetRow], handle: Callable[[SheetRow], None]) -> None:
        """``handle`` each row in a savepoint; one that raises RowErrors is undone."""
        rows = list(rows)
        for done, row in enumerate(rows, start=1):
            self.report(done, len(rows), STAGE_ROWS)
            try:
                with transaction.atomic():
                    handle(row)
            except RowErrors:
                continue


@contextmanager
def all_or_nothing(
    result: SheetResult, *, dry_run: bool, force: bool = False, skip_invalid: bool = False
) -> Iterator[SheetRun]:
    """A transaction kept only when the run may write (``result.written`` then)."""
    run = SheetRun(result, dry_run=dry_run, force=force, skip_invalid=skip_invalid)
    result.dry_run = dry_run
    try:
        with transaction.atomic():
            yield run
            if not run.may_write():
                raise _Rollback
    except _Rollback:
        result.written = False
        return
    result.written = True


def sheet_import(
    data: bytes,
    *,
    columns: Columns,
    process: Callable[[Sheet, SheetRun], None],
    result: R,
    dry_run: bool = True,
    force: bool = False,
    skip_invalid: bool = False,
    mapping: dict | None = None,
) -> R:
    """Read ``data``, lay it out by ``columns`` and run ``process`` all or nothing."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result.dry_run = dry_run
    try:
        table = read_table(data, result.filename, columns=columns)
        result.kind, result.encoding, result.sheet = table.kind, table.encoding, table.sheet
        sheet = lay_out(table, columns, mapping)
        result.header_row, result.columns = sheet.header_row, sheet.mappings
        result.warnings.extend(table.notes)
        result.warnings.extend(sheet.warnings)
        with all_or_nothing(result, dry_run=dry_run, force=force, skip_invalid=skip_invalid) as run:
            process(sheet, run)
    except SheetFileError as exc:
        result.errors.append(exc.problem)
        result.columns = result.columns or exc.mappings
        result.written = False
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu_started
    return result


def sheet_import_path(function: Callable[..., R], path: str | Path, **kwargs) -> R | SheetResult:
    """``function`` (an ``*_import``) of a file on disk, its size checked before reading."""
    path = Path(path)
    try:
        data = read_path(path)
    except SheetFileError as exc:
        result = SheetResult(filename=path.name, dry_run=kwargs.get("dry_run", True))
        result.errors.append(exc.problem)
        return result
    return function(data, filename=path.name, **kwargs)


def validation_problems(row: int, error: ValidationError, headers: dict[str, str]) -> list[Problem]:
    """A model's ValidationError as problems of ``row``, fields named by ``headers``."""
    if hasattr(error, "error_dict"):
        return [
            Problem(row, headers.get(name, ""), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [Problem(row, "", message) for message in error.messages]


def short_hash(*parts: object) -> str:
    """A stable identifier of a row's content (for rows without a code)."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:20]
