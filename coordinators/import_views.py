"""Staff import of past activity logs and council records (issue 6, item 6):
upload → preview → confirm, for city staff only (anyone else gets 404).

The uploaded file waits between preview and confirm in the default storage
under ``private-imports/`` (a random name kept in the session, removed after
the import and after a day at the latest), as on the resource import page.
"""

from __future__ import annotations

import contextlib
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from coordinators.importing import ACTIVITY_COLUMNS, activities_import
from councils.importing import COUNCIL_COLUMNS, councils_import
from portal.roles import is_city_staff
from resources.importing import MB, max_upload_bytes
from resources.io_views import UploadForm

UPLOAD_DIR = "private-imports"
PREVIEW_ROWS = 200
PROBLEMS_SHOWN = 300

KINDS = {
    "activities": {
        "title": _("活動記録の取込"),
        "what": _("生活支援コーディネーターの過去の活動記録"),
        "columns": ACTIVITY_COLUMNS,
        "run": activities_import,
    },
    "councils": {
        "title": _("協議体の取込"),
        "what": _(
            "協議体の設置状況の表（区名・事業開始時期・協議体設置時期・新設・既設・既存の会議体・協議体開催時期）"
        ),
        "columns": COUNCIL_COLUMNS,
        "run": councils_import,
    },
}


def _kind(request: HttpRequest, kind: str) -> dict:
    if not is_city_staff(request.user) or kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _session_key(kind: str) -> str:
    return f"records_import_{kind}"


def _purge_old_uploads() -> None:
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    cutoff = timezone.now() - timedelta(days=1)
    for name in files:
        path = f"{UPLOAD_DIR}/{name}"
        with contextlib.suppress(NotImplementedError, OSError):
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)


def _stored(request: HttpRequest, kind: str) -> tuple[dict, bytes] | None:
    state = request.session.get(_session_key(kind))
    if not state:
        return None
    try:
        with default_storage.open(state["path"], "rb") as handle:
            return state, handle.read()
    except (OSError, KeyError):
        return None


def _forget(request: HttpRequest, kind: str) -> None:
    state = request.session.pop(_session_key(kind), None)
    if state and state.get("path"):
        with contextlib.suppress(OSError):
            default_storage.delete(state["path"])


@never_cache
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        _forget(request, kind)
        _purge_old_uploads()
        path = default_storage.save(
            f"{UPLOAD_DIR}/{secrets.token_urlsafe(18)}.upload", ContentFile(upload.read())
        )
        request.session[_session_key(kind)] = {"path": path, "filename": upload.name[:200]}
        return redirect("coordinators:records_import_preview", kind=kind)
    return render(
        request,
        "coordinators/import_upload.html",
        {"kind": kind, "spec": spec, "form": form, "limit_mb": max_upload_bytes() / MB},
    )


def _preview_context(kind: str, spec: dict, result, state: dict) -> dict:
    changed = [o for o in result.outcomes if o.action != "unchanged"]
    return {
        "kind": kind,
        "spec": spec,
        "result": result,
        "filename": state.get("filename", ""),
        "changed_rows": changed[:PREVIEW_ROWS],
        "changed_more": max(0, len(changed) - PREVIEW_ROWS),
        "errors": result.errors[:PROBLEMS_SHOWN],
        "errors_more": max(0, len(result.errors) - PROBLEMS_SHOWN),
        "warnings": result.warnings[:PROBLEMS_SHOWN],
        "warnings_more": max(0, len(result.warnings) - PROBLEMS_SHOWN),
        "new_affiliations": getattr(result, "new_affiliations", []),
        "can_confirm": result.ok and bool(result.new or result.updated),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, kind: str) -> HttpResponse:
    """What the file would do, and the button that does it."""
    spec = _kind(request, kind)
    stored = _stored(request, kind)
    if stored is None:
        return redirect("coordinators:records_import", kind=kind)
    state, data = stored
    action = request.POST.get("action")
    if request.method == "POST" and action == "cancel":
        _forget(request, kind)
        return redirect("coordinators:records_import", kind=kind)
    if request.method == "POST" and action == "confirm":
        result = spec["run"](data, filename=state["filename"], user=request.user, dry_run=False)
        if result.written:
            _forget(request, kind)
            request.session[f"{_session_key(kind)}_done"] = {
                "filename": state["filename"],
                "summary": result.summary(),
                "warnings": len(result.warnings),
            }
            return redirect("coordinators:records_import_done", kind=kind)
        context = _preview_context(kind, spec, result, state)
        context["confirm_refused"] = True
        return render(request, "coordinators/import_preview.html", context)
    result = spec["run"](data, filename=state["filename"], user=request.user, dry_run=True)
    return render(
        request, "coordinators/import_preview.html", _preview_context(kind, spec, result, state)
    )


@never_cache
@require_GET
def import_done(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(request, kind)
    summary = request.session.get(f"{_session_key(kind)}_done")
    if not summary:
        return redirect("coordinators:records_import", kind=kind)
    return render(
        request,
        "coordinators/import_done.html",
        {"kind": kind, "spec": spec, "summary": summary},
    )
