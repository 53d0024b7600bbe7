"""Uploaded sheets waiting between preview and confirm, in private storage.

The file is kept under ``settings.PRIVATE_MEDIA_ROOT`` (never MEDIA_ROOT, which
a web server may serve, and never in the session, which may be a cookie or a
cache entry) under a random name; the session holds only that name. Any app
server sharing the private storage can confirm it. It is removed on confirm
and cancel, and files older than ``STALE_AFTER`` are removed on the next upload.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

UPLOAD_DIR = "sheet-uploads"
STALE_AFTER = timedelta(days=1)
_NAME = re.compile(r"[A-Za-z0-9_-]{16,64}\.upload")


def upload_storage() -> FileSystemStorage:
    """The private folder of waiting uploads, read from settings at each use."""
    return FileSystemStorage(location=Path(settings.PRIVATE_MEDIA_ROOT) / UPLOAD_DIR)


def upload_keep(data: bytes) -> str:
    """Store ``data``; returns the name to keep in the session."""
    return upload_storage().save(f"{secrets.token_urlsafe(18)}.upload", ContentFile(data))


def upload_read(name: str) -> bytes | None:
    """The stored bytes, or None when the file is gone (confirmed, cancelled, stale)."""
    if not _NAME.fullmatch(name or ""):
        return None
    try:
        with upload_storage().open(name, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def upload_forget(name: str) -> None:
    if _NAME.fullmatch(name or ""):
        with contextlib.suppress(OSError):
            upload_storage().delete(name)


def uploads_purge_stale() -> int:
    """Remove uploads older than ``STALE_AFTER``; returns how many."""
    storage = upload_storage()
    try:
        _dirs, files = storage.listdir("")
    except OSError:
        return 0
    cutoff = timezone.now() - STALE_AFTER
    removed = 0
    for name in files:
        with contextlib.suppress(OSError):
            if storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                removed += 1
    return removed
