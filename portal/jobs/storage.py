"""Where job results are kept: private storage, never MEDIA_ROOT.

Under ``settings.PRIVATE_MEDIA_ROOT / "jobs"`` (read from settings at each use),
one folder per job; the files are served only through the job's access check
(``portal.jobs.views.job_result``). ``private_file_response`` serves a file of
private storage to a reader the caller has checked (job results, 確認票).
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from django.conf import settings
from django.http import FileResponse

RESULT_DIR = "jobs"
CONTENT_TYPES = {".pdf": "application/pdf", ".csv": "text/csv", ".json": "application/json"}


def results_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / RESULT_DIR


def result_path(name: str) -> Path | None:
    """The file of a stored result name, or None for a name that leaves the folder."""
    if not name or name.startswith(("/", "\\")) or ".." in Path(name).parts:
        return None
    return results_root() / name


def job_folder(job_id: int) -> Path:
    return results_root() / str(int(job_id))


def job_files_delete(job_id: int) -> None:
    with contextlib.suppress(OSError):
        shutil.rmtree(job_folder(job_id))


def private_file_response(path: Path, *, filename: str, fallback: str) -> FileResponse:
    """A file of private storage as a download, never cached; the caller has
    checked who may read it (job results, the 確認票 of the daily run)."""
    from portal.pdf import content_disposition  # WeasyPrint: only where a file is served

    response = FileResponse(
        path.open("rb"),
        content_type=CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream"),
    )
    response["Content-Disposition"] = content_disposition(filename, fallback=fallback)
    response["Cache-Control"] = "private, no-store"
    return response
