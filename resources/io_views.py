"""Pages of data in and out: the staff import (upload → preview → confirm), the
staff export of the current search, and the open-data CSV.

Import is for admins and city staff; export for everyone who may see
staff-only data (関係者 and up), with the columns they may see. Anyone else gets
404, as for every staff page the access policy hides (DESIGN.md).

The uploaded file waits between preview and confirm in the default storage
under ``private-imports/`` (a random name kept in the session, removed after
the import and after a day at the latest), so any app server can confirm it.
"""

from __future__ import annotations

import contextlib
import secrets
from datetime import timedelta
from urllib.parse import quote

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.i18n import in_source_language, source_language
from portal.roles import can_see_staff_only, is_city_staff
from resources import exporting
from resources.importing import (
    COLUMN_BY_KEY,
    COLUMNS,
    IMPORTABLE_KEYS,
    MB,
    max_upload_bytes,
    resources_import,
)
from resources.search import SearchFilters, resource_search

SESSION_KEY = "dataio_import"
UPLOAD_DIR = "private-imports"
PREVIEW_ROWS = 200
PROBLEMS_SHOWN = 300


def _require_importer(request: HttpRequest) -> None:
    if not is_city_staff(request.user):
        raise Http404


def _require_exporter(request: HttpRequest) -> None:
    if not can_see_staff_only(request.user):
        raise Http404


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("ファイル（Excel .xlsx または CSV）"),
        help_text=_("文字コードは UTF-8・Shift_JIS のどちらでも読めます。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("ファイルが大きすぎます（%(size).1f MB）。%(limit).0f MB までにしてください。")
                % {"size": upload.size / MB, "limit": limit / MB}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("ファイルが空です。"))
        return upload


def _purge_old_uploads() -> None:
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    cutoff = timezone.now() - timedelta(days=1)
    for name in files:
        path = f"{UPLOAD_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (NotImplementedError, OSError):
            continue


def _stored(request: HttpRequest) -> tuple[dict, bytes] | None:
    state = request.session.get(SESSION_KEY)
    if not state:
        return None
    try:
        with default_storage.open(state["path"], "rb") as handle:
            return state, handle.read()
    except (OSError, KeyError):
        return None


def _forget(request: HttpRequest) -> None:
    state = request.session.pop(SESSION_KEY, None)
    if state and state.get("path"):
        with contextlib.suppress(OSError):
            default_storage.delete(state["path"])


@never_cache
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        _forget(request)
        _purge_old_uploads()
        path = default_storage.save(
            f"{UPLOAD_DIR}/{secrets.token_urlsafe(18)}.upload", ContentFile(upload.read())
        )
        request.session[SESSION_KEY] = {"path": path, "filename": upload.name[:200], "mapping": {}}
        return redirect("dataio:import_preview")
    return render(
        request,
        "resources/import_upload.html",
        {
            "form": form,
            "columns": [c for c in COLUMNS if not c.read_only],
            "limit_mb": max_upload_bytes() / MB,
        },
    )


def _mapping(state: dict) -> dict[int, str]:
    return {int(index): key for index, key in state.get("mapping", {}).items()}


def _preview_context(result, state: dict) -> dict:
    changed = [o for o in result.outcomes if o.action != "unchanged"]
    field_choices = [("", _("取り込まない"))] + [
        (key, COLUMN_BY_KEY[key].header) for key in IMPORTABLE_KEYS
    ]
    return {
        "result": result,
        "filename": state.get("filename", ""),
        "changed_rows": changed[:PREVIEW_ROWS],
        "changed_more": max(0, len(changed) - PREVIEW_ROWS),
        "errors": result.errors[:PROBLEMS_SHOWN],
        "errors_more": max(0, len(result.errors) - PROBLEMS_SHOWN),
        "warnings": result.warnings[:PROBLEMS_SHOWN],
        "warnings_more": max(0, len(result.warnings) - PROBLEMS_SHOWN),
        "field_choices": field_choices,
        "can_confirm": result.ok and (result.new or result.updated),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest) -> HttpResponse:
    """What the file would do, and the button that does it."""
    _require_importer(request)
    stored = _stored(request)
    if stored is None:
        return redirect("dataio:import")
    state, data = stored
    action = request.POST.get("action")
    if request.method == "POST" and action == "cancel":
        _forget(request)
        return redirect("dataio:import")
    if request.method == "POST" and action == "remap":
        mapping = {}
        for name, value in request.POST.items():
            if (
                name.startswith("col-")
                and name[4:].isdigit()
                and (value in IMPORTABLE_KEYS or value == "")
            ):
                mapping[name[4:]] = value
        state["mapping"] = mapping
        request.session[SESSION_KEY] = state
        return redirect("dataio:import_preview")
    if request.method == "POST" and action == "confirm":
        result = resources_import(
            data,
            filename=state["filename"],
            user=request.user,
            dry_run=False,
            force=request.POST.get("force") == "1",
            mapping=_mapping(state),
        )
        if result.written:
            _forget(request)
            request.session[f"{SESSION_KEY}_done"] = {
                "filename": state["filename"],
                "new": result.new,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "warnings": len(result.warnings),
            }
            return redirect("dataio:import_done")
        context = _preview_context(result, state)
        context["confirm_refused"] = True
        return render(request, "resources/import_preview.html", context, status=200)
    result = resources_import(
        data, filename=state["filename"], user=request.user, dry_run=True, mapping=_mapping(state)
    )
    return render(request, "resources/import_preview.html", _preview_context(result, state))


@never_cache
@require_GET
def import_done(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    summary = request.session.get(f"{SESSION_KEY}_done")
    if not summary:
        return redirect("dataio:import")
    return render(request, "resources/import_done.html", {"summary": summary})


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The current search (the query of /resources/) as CSV or XLSX, chosen columns."""
    _require_exporter(request)
    filters = SearchFilters.from_query(request.GET)
    resources = resource_search(fetched_by=request.user, filters=filters)
    allowed = exporting.columns_for(request.user)
    if request.GET.get("download"):
        fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        columns = exporting.chosen_columns(request.GET.getlist("col"), request.user) or allowed
        with source_language():  # read back by the importer: Japanese labels
            export_file = exporting.export_file(resources, columns, user=request.user, fmt=fmt)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = f"地域資源_{stamp}.{export_file.extension}"
        response = HttpResponse(export_file.content, content_type=export_file.content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="resources_{stamp}.{export_file.extension}"; '
            f"filename*=UTF-8''{quote(name)}"
        )
        response["Cache-Control"] = "private, no-store"
        return response
    search_params = [
        (key, value)
        for key in request.GET
        if key not in ("download", "format", "col", "page", "partial")
        for value in request.GET.getlist(key)
    ]
    query = request.GET.copy()
    for key in ("download", "format", "col", "page", "partial"):
        query.pop(key, None)
    return render(
        request,
        "resources/export.html",
        {
            "filters": filters,
            "count": resources.count(),
            "columns": allowed,
            "search_params": search_params,
            "search_query": query.urlencode(),
        },
    )


@require_GET
@in_source_language
def opendata(request: HttpRequest) -> HttpResponse:
    """Public resources, public fields, the columns of ``opendata_columns``."""
    response = HttpResponse(exporting.opendata_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="resources.csv"'
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@in_source_language
def opendata_columns(request: HttpRequest) -> HttpResponse:
    """The data dictionary of the open-data CSV."""
    response = HttpResponse(
        exporting.opendata_columns_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="resources-columns.csv"'
    response["Cache-Control"] = "public, max-age=86400"
    return response
