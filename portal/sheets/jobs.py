"""Large imports as jobs: the preview and the write of a file of more rows than
``IMPORT_JOB_ROWS`` (an estimate from the file) run in the worker, with progress.

The upload waits in private storage as for any import (``uploads``); the job
gets its name. A preview job keeps its result (``SheetResult`` as JSON) as the
job's file, and the preview page renders it as it renders one made in the
request. An import job holds its kind's exclusive key (``sheet:<kind>``): while
one is queued or running, a second import of that kind — the same file sent by
another admin, or any other — is refused with a message naming the first, and
the upload page says that it is running. Two previews of the same file at once
are refused the same way (``sheet-preview:<kind>:<file hash>``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import io
import json
import re
import zipfile

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import get_language, gettext_lazy, gettext_noop, pgettext_lazy
from django.utils.translation import gettext as _

from portal.jobs import JobError, JobKind, job_kind_register
from portal.jobs.service import job_active, job_start
from portal.jobs.storage import result_path
from portal.models import Job
from portal.sheets.columns import ColumnMapping
from portal.sheets.kinds import SheetKind, sheet_kind
from portal.sheets.problems import Problem, problems_text
from portal.sheets.results import RowOutcome, SheetResult
from portal.sheets.runner import sheet_progress
from portal.sheets.uploads import upload_forget, upload_read

PREVIEW = "sheet-preview"
IMPORT = "sheet-import"
GONE = gettext_noop(
    "取り込むファイルが見つかりません（取り消されたか、保存期間を過ぎました）。"
    "もう一度ファイルを選んでください。"
)
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')
BYTES_PER_ROW = 100  # an unpacked XLSX or ODS row, for a file without a dimension


def rows_estimate(data: bytes) -> int:
    """About how many rows a file has, without reading it: the lines of a CSV,
    the dimension of an XLSX sheet, else the unpacked size of the sheets."""
    if not data.startswith(b"PK"):
        return data.count(b"\n") + 1
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [
                info
                for info in archive.infolist()
                if info.filename.startswith("xl/worksheets/") or info.filename == "content.xml"
            ]
            for info in sheets:
                with archive.open(info) as handle:
                    found = _DIMENSION.search(handle.read(4096))
                if found:
                    return int(found.group(1))
            return sum(info.file_size for info in sheets) // BYTES_PER_ROW
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0  # the reader will say what is wrong, in the request


def runs_as_job(data: bytes) -> bool:
    return rows_estimate(data) > settings.IMPORT_JOB_ROWS


def import_key(kind: SheetKind) -> str:
    return f"sheet:{kind.slug}"


def preview_key(kind: SheetKind, data: bytes) -> str:
    return f"sheet-preview:{kind.slug}:{hashlib.sha1(data).hexdigest()[:16]}"


def import_running(kind: SheetKind) -> Job | None:
    """The import job of ``kind`` queued or running, if any."""
    return job_active(import_key(kind))


def sheet_job_start(
    kind: SheetKind,
    *,
    user,
    state: dict,
    data: bytes,
    urls: dict[str, str],
    write: bool = False,
    force: bool = False,
) -> Job:
    """A preview (or, with ``write``, an import) job of the waiting upload in
    ``state``; raises ``JobConflict`` naming the job in the way."""
    label = _("取込: %(file)s") if write else _("取込の確認: %(file)s")
    return job_start(
        IMPORT if write else PREVIEW,
        user=user,
        label=label % {"file": state.get("filename", "")},
        params={
            "kind": kind.slug,
            "upload": state.get("upload", ""),
            "filename": state.get("filename", ""),
            "mapping": state.get("mapping", {}),
            "options": state.get("options", {}),
            "force": force,
            "urls": urls,
            "language": get_language(),
        },
        exclusive_key=import_key(kind) if write else preview_key(kind, data),
    )


# Results as JSON -------------------------------------------------------------------


def result_to_json(result: SheetResult) -> dict:
    cls = type(result)
    return {"class": f"{cls.__module__}.{cls.__qualname__}", "fields": dataclasses.asdict(result)}


def result_from_json(data: dict) -> SheetResult:
    """A result as the preview page reads it. A kind's own fields must be JSON values."""
    try:
        cls = import_string(data.get("class", ""))
    except ImportError:
        cls = SheetResult
    if not (inspect.isclass(cls) and issubclass(cls, SheetResult)):
        cls = SheetResult
    known = {f.name for f in dataclasses.fields(cls)}
    fields = {k: v for k, v in data.get("fields", {}).items() if k in known}
    fields["columns"] = [ColumnMapping(**c) for c in fields.get("columns", [])]
    fields["outcomes"] = [RowOutcome(**o) for o in fields.get("outcomes", [])]
    fields["errors"] = [Problem(**p) for p in fields.get("errors", [])]
    fields["warnings"] = [Problem(**p) for p in fields.get("warnings", [])]
    return cls(**fields)


def job_preview_result(job: Job) -> SheetResult | None:
    path = result_path(job.result_name) if job.has_result_file else None
    if path is None or not path.is_file():
        return None
    return result_from_json(json.loads(path.read_text(encoding="utf-8")))


# The jobs ----------------------------------------------------------------------------


def _run(context, *, write: bool) -> SheetResult:
    params = context.params
    kind = sheet_kind(params.get("kind", ""))
    if kind is None:
        raise JobError(gettext_noop("この種類の取込は、もう行えません。"))
    data = upload_read(params.get("upload", ""))
    if data is None:
        raise JobError(GONE)
    mapping = {int(k) if str(k).isdigit() else k: v for k, v in params.get("mapping", {}).items()}
    token = sheet_progress.set(context.progress)
    try:
        return kind.run(
            data,
            filename=params.get("filename", ""),
            user=context.user,
            dry_run=not write,
            force=bool(params.get("force")),
            mapping=mapping,
            **params.get("options", {}),
        )
    finally:
        sheet_progress.reset(token)


def preview_run(context) -> None:
    result = _run(context, write=False)
    with context.result_file("preview.json") as path:
        path.write_text(json.dumps(result_to_json(result), ensure_ascii=False), encoding="utf-8")
    context.result_data({"summary": result.summary() if result.ok else ""})


def import_run(context) -> None:
    result = _run(context, write=True)
    if not result.written:
        reasons = result.confirmation or problems_text(result.errors, limit=20)
        raise JobError(_("取り込めませんでした（何も書き込んでいません）。") + "\n" + reasons)
    upload_forget(context.params.get("upload", ""))
    context.result_data(
        {
            "summary": result.summary(),
            "new": result.new,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "warnings": len(result.warnings),
        }
    )


def _links(job: Job) -> list[tuple[str, str]]:
    urls = job.params.get("urls", {})
    links = []
    if job.kind == PREVIEW and job.state == Job.State.DONE and urls.get("_preview"):
        links.append((str(_("確認の画面へ進む")), urls["_preview"]))
    if job.kind == IMPORT and job.state == Job.State.DONE:
        kind = sheet_kind(job.params.get("kind", ""))
        from django.urls import reverse

        for link in kind.done_links if kind else ():
            url = reverse(link.url_name) + (f"?{link.query}" if link.query else "")
            links.append((str(link.label), url))
    if urls.get("upload"):
        links.append((str(_("別のファイルを取り込む")), urls["upload"]))
    return links


def sheet_job_kinds_register() -> None:
    """Called from PortalConfig.ready()."""
    for slug, title, run in (
        (PREVIEW, gettext_lazy("取込の確認"), preview_run),
        (IMPORT, gettext_lazy("取込"), import_run),
    ):
        job_kind_register(
            JobKind(
                slug=slug,
                title=title,
                run=run,
                unit=pgettext_lazy("progress unit", "行"),
                download=False,
                links=_links,
            )
        )
