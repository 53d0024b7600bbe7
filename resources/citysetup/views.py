"""The staff page of ``setup_city``: upload the three files, check, then set up.

City staff and admins only (anyone else gets 404). The first button runs a dry
run and shows what would be made; the files wait in private storage
(``portal.sheets.uploads``, never the session) until 「この内容で設定する」
runs the same set-up for real, or 「やめる」 drops them. The page also turns the
public summary of 地域分析 (``/analysis/``) on or off.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.municipality import city, municipality_save
from portal.roles import is_city_staff
from portal.sheets import MB, max_upload_bytes
from portal.sheets.uploads import upload_forget, upload_keep, upload_read, uploads_purge_stale
from resources.citysetup import TABLE_COLUMNS, CitySetupResult, city_setup

SESSION_KEY = "citysetup"
FILES = ("outline", "chome", "table")
OUTLINE_LIMIT = 50 * MB  # a prefecture's 行政区域 file


class CitySetupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("自治体名"), max_length=50)
    code = forms.CharField(
        label=gettext_lazy("全国地方公共団体コード"),
        max_length=6,
        help_text=gettext_lazy("5桁（11203）か、検査数字つきの6桁（112038）"),
    )
    prefecture = forms.CharField(
        label=gettext_lazy("都道府県名"),
        max_length=10,
        required=False,
        help_text=gettext_lazy("空欄: 行政区域のファイルから"),
    )
    outline = forms.FileField(
        label=gettext_lazy("行政区域の境界（国土数値情報 GeoJSON）"),
        help_text=gettext_lazy(
            "1つの地物なら市全体が第1層、区ごとの地物なら各区が第1層になります。"
        ),
    )
    chome = forms.FileField(
        label=gettext_lazy("町丁（e-Stat 小地域 CSV・GeoJSON、位置参照情報 CSV）"),
    )
    table = forms.FileField(
        label=gettext_lazy("圏域の表（CSV・Excel。列: 圏域、町丁、区のある市は第1層）"),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].id_for_label}-help"

    def clean(self):
        cleaned = super().clean()
        for key in FILES:
            upload = cleaned.get(key)
            limit = OUTLINE_LIMIT if key == "outline" else max_upload_bytes()
            if upload is not None and upload.size > limit:
                self.add_error(
                    key,
                    _(
                        "ファイルが大きすぎます（%(size).1f MB）。%(limit).0f MB までにしてください。"
                    )
                    % {"size": upload.size / MB, "limit": limit / MB},
                )
        return cleaned


def _forget(request: HttpRequest) -> None:
    state = request.session.pop(SESSION_KEY, None) or {}
    for name, _filename in (state.get("files") or {}).values():
        upload_forget(name)


def _run(state: dict, *, dry_run: bool, user) -> CitySetupResult | None:
    files = {key: (upload_read(name), filename) for key, (name, filename) in state["files"].items()}
    if any(data is None for data, _filename in files.values()):
        return None
    table = files.get("table")
    return city_setup(
        name=state["name"],
        code=state["code"],
        prefecture=state["prefecture"],
        outline=files["outline"][0],
        chome=files["chome"][0],
        chome_filename=files["chome"][1],
        table=table[0] if table else None,
        table_filename=table[1] if table else "",
        dry_run=dry_run,
        by=user,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def city_setup_page(request: HttpRequest) -> HttpResponse:
    if not is_city_staff(request.user):
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    current = city()
    form = CitySetupForm(
        request.POST if action == "check" else None,
        request.FILES if action == "check" else None,
        initial={"name": current.name, "code": current.code, "prefecture": current.prefecture},
    )
    result = None
    state = request.session.get(SESSION_KEY)
    if action == "cancel":
        _forget(request)
        return redirect("dataio:city_setup")
    if action == "public_analysis":
        on = request.POST.get("public_analysis") == "1"
        municipality_save(public_analysis=on)
        messages.success(
            request,
            _("地域分析の概要を公開しました。") if on else _("地域分析の概要を非公開にしました。"),
        )
        return redirect("dataio:city_setup")
    if action == "check" and form.is_valid():
        _forget(request)
        uploads_purge_stale()
        state = {
            "name": form.cleaned_data["name"],
            "code": form.cleaned_data["code"],
            "prefecture": form.cleaned_data["prefecture"],
            "files": {
                key: (upload_keep(upload.read()), upload.name[:200])
                for key in FILES
                if (upload := form.cleaned_data.get(key)) is not None
            },
        }
        request.session[SESSION_KEY] = state
        result = _run(state, dry_run=True, user=request.user)
    elif action == "confirm" and state:
        result = _run(state, dry_run=False, user=request.user)
        if result is not None and result.written:
            _forget(request)
            messages.success(
                request,
                _("%(city)sを設定しました: %(summary)s")
                % {"city": result.city_name, "summary": result.summary()},
            )
            return redirect("dataio:city_setup")
    if result is None and state and action in ("check", "confirm"):
        _forget(request)  # the files are gone (stale): start again
        state = None
    return render(
        request,
        "resources/city_setup.html",
        {
            "form": form,
            "result": result,
            "state": state if result is not None else None,
            "columns": TABLE_COLUMNS,
            "public_analysis": current.public_analysis,
            "districts": [a for a in result.areas if a.tier == 2] if result else [],
        },
    )
