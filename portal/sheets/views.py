"""The shared pages of every import: upload → preview → confirm → done.

An app routes the three views to its own URLs, passing the kind's slug (as a
path segment or in the pattern's extra kwargs); the kind (``SheetKind``)
names those URLs in ``pages``. Anyone the kind does not allow, and any kind
served at another app's URLs, gets 404, as for every page the access policy
hides. The uploaded file waits in private storage (``uploads``); the session
keeps its name, the original file name and the column assignment.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from portal.jobs.service import JobConflict
from portal.jobs.views import job_conflict_message
from portal.models import Job
from portal.sheets.jobs import (
    PREVIEW,
    import_running,
    job_preview_result,
    runs_as_job,
    sheet_job_start,
)
from portal.sheets.kinds import SheetKind, sheet_kind
from portal.sheets.problems import MB
from portal.sheets.reading import max_upload_bytes
from portal.sheets.uploads import upload_forget, upload_keep, upload_read, uploads_purge_stale

PREVIEW_ROWS = 200
PROBLEMS_SHOWN = 300


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


def _kind(request: HttpRequest, slug: str, page: str) -> SheetKind:
    kind = sheet_kind(slug)
    match = request.resolver_match
    if (
        kind is None
        or match is None
        or match.view_name != kind.pages + page
        or not kind.may_import(request.user)
    ):
        raise Http404
    return kind


def _url(request: HttpRequest, kind: SheetKind, page: str) -> str:
    return reverse(kind.pages + page, kwargs=request.resolver_match.captured_kwargs)


def _session_key(kind: SheetKind) -> str:
    return f"sheets:{kind.slug}"


def _forget(request: HttpRequest, kind: SheetKind) -> None:
    state = request.session.pop(_session_key(kind), None)
    if state:
        upload_forget(state.get("upload", ""))


def _mapping(state: dict) -> dict[int, str]:
    return {int(index): key for index, key in state.get("mapping", {}).items()}


@never_cache
@require_http_methods(["GET", "POST"])
def sheet_upload(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(request, kind, "")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        _forget(request, spec)
        uploads_purge_stale()
        data = upload.read()
        state = {"upload": upload_keep(data), "filename": upload.name[:200], "mapping": {}}
        request.session[_session_key(spec)] = state
        if not runs_as_job(data):
            return redirect(_url(request, spec, "_preview"))
        try:
            job = _start_preview_job(request, spec, state, data)
        except JobConflict as conflict:
            _forget(request, spec)
            form.add_error("file", job_conflict_message(conflict.holder))
        else:
            return redirect(job)
    return render(
        request,
        "portal/sheets/upload.html",
        {
            "kind": spec,
            "form": form,
            "columns": spec.columns.importable,
            "limit_mb": max_upload_bytes() / MB,
            "urls": _urls(request, spec),
            "running": import_running(spec),
        },
    )


def _start_preview_job(request: HttpRequest, kind: SheetKind, state: dict, data: bytes) -> Job:
    """A large file's preview, made by the worker; the session remembers the job."""
    job = sheet_job_start(
        kind, user=request.user, state=state, data=data, urls=_urls(request, kind)
    )
    state["job"] = job.pk
    request.session[_session_key(kind)] = state
    return job


def _urls(request: HttpRequest, kind: SheetKind) -> dict[str, str]:
    return {page or "upload": _url(request, kind, page) for page in ("", "_preview")}


def _preview_context(request: HttpRequest, kind: SheetKind, result, state: dict) -> dict:
    changed = [o for o in result.outcomes if o.action != "unchanged"]
    return {
        "kind": kind,
        "result": result,
        "filename": state.get("filename", ""),
        "changed_rows": changed[:PREVIEW_ROWS],
        "changed_more": max(0, len(changed) - PREVIEW_ROWS),
        "errors": result.errors[:PROBLEMS_SHOWN],
        "errors_more": max(0, len(result.errors) - PROBLEMS_SHOWN),
        "warnings": result.warnings[:PROBLEMS_SHOWN],
        "warnings_more": max(0, len(result.warnings) - PROBLEMS_SHOWN),
        "field_choices": [("", _("取り込まない"))]
        + [(c.key, c.header) for c in kind.columns.importable],
        "lists": result.preview_lists(),
        "can_confirm": result.ok and bool(result.new or result.updated),
        "urls": _urls(request, kind),
        **(kind.preview_context(request, result, state) if kind.preview_context else {}),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def sheet_preview(request: HttpRequest, kind: str) -> HttpResponse:
    """What the file would do, and the button that does it."""
    spec = _kind(request, kind, "_preview")
    state = request.session.get(_session_key(spec))
    data = upload_read(state.get("upload", "")) if state else None
    if data is None:
        request.session.pop(_session_key(spec), None)
        return redirect(_url(request, spec, ""))
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "cancel":
        _forget(request, spec)
        return redirect(_url(request, spec, ""))
    if action and spec.preview_post is not None:
        handled = spec.preview_post(request, state, action)
        if handled is True:
            state.pop("job", None)
            request.session[_session_key(spec)] = state
            return redirect(_url(request, spec, "_preview"))
        if handled is not None:
            return handled
    if action == "remap":
        keys = set(spec.columns.importable_keys)
        state["mapping"] = {
            name[4:]: value
            for name, value in request.POST.items()
            if name.startswith("col-") and name[4:].isdigit() and (value in keys or value == "")
        }
        state.pop("job", None)  # a large file's preview is made again with the new columns
        request.session[_session_key(spec)] = state
        return redirect(_url(request, spec, "_preview"))
    if runs_as_job(data):
        return _preview_as_job(request, spec, state, data, action)
    options = {
        "filename": state["filename"],
        "user": request.user,
        "mapping": _mapping(state),
        **state.get("options", {}),
    }
    running = import_running(spec) if action == "confirm" else None
    if running is not None:
        result = spec.run(data, dry_run=True, **options)
        context = _preview_context(request, spec, result, state)
        context["conflict"] = job_conflict_message(running)
        return render(request, "portal/sheets/preview.html", context)
    if action == "confirm":
        result = spec.run(data, dry_run=False, force=request.POST.get("force") == "1", **options)
        if result.written:
            _forget(request, spec)
            request.session[f"{_session_key(spec)}:done"] = {
                "filename": state["filename"],
                "new": result.new,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "details": result.details(),
                "warnings": len(result.warnings),
            }
            return redirect(_url(request, spec, "_done"))
        context = _preview_context(request, spec, result, state)
        context["confirm_refused"] = True
        return render(request, "portal/sheets/preview.html", context)
    result = spec.run(data, dry_run=True, **options)
    return render(
        request, "portal/sheets/preview.html", _preview_context(request, spec, result, state)
    )


def _preview_as_job(
    request: HttpRequest, kind: SheetKind, state: dict, data: bytes, action: str | None
) -> HttpResponse:
    """The preview of a large file: its job's result, or the job page while it runs;
    confirming starts the import as a job (refused while another one runs)."""
    job = Job.objects.filter(pk=state.get("job"), user=request.user, kind=PREVIEW).first()
    if job is None:
        try:
            return redirect(_start_preview_job(request, kind, state, data))
        except JobConflict as conflict:
            return _upload_again(request, kind, job_conflict_message(conflict.holder))
    result = job_preview_result(job)
    if result is None:  # queued, running, or failed: its page says which
        return redirect(job)
    context = _preview_context(request, kind, result, state)
    if action == "confirm" and context["can_confirm"]:
        try:
            write = sheet_job_start(
                kind,
                user=request.user,
                state=state,
                data=data,
                urls=_urls(request, kind),
                write=True,
                force=request.POST.get("force") == "1",
            )
        except JobConflict as conflict:
            context["conflict"] = job_conflict_message(conflict.holder)
        else:
            request.session.pop(_session_key(kind), None)
            return redirect(write)
    return render(request, "portal/sheets/preview.html", context)


def _upload_again(request: HttpRequest, kind: SheetKind, message: str) -> HttpResponse:
    _forget(request, kind)
    messages.error(request, message)
    return redirect(_url(request, kind, ""))


@never_cache
@require_safe
def sheet_done(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(request, kind, "_done")
    summary = request.session.get(f"{_session_key(spec)}:done")
    if not summary:
        return redirect(_url(request, spec, ""))
    links = [
        (link.label, reverse(link.url_name) + (f"?{link.query}" if link.query else ""))
        for link in spec.done_links
    ]
    return render(
        request,
        "portal/sheets/done.html",
        {"kind": spec, "summary": summary, "links": links, "urls": _urls(request, spec)},
    )
