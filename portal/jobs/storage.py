"""Where job results are kept: private storage, never MEDIA_ROOT.

Under ``settings.PRIVATE_MEDIA_ROOT / "jobs"`` (read from settings at each use),
one folder per job; the files are served only through the job's access check
(``portal.jobs.views.job_result``).
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from django.conf import settings

RESULT_DIR = "jobs"


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
