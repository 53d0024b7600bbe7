"""The resource import's own part of the preview page: decisions first.

The shared pages (``portal.sheets.views``) show this kind's
``resources/import_decisions.html`` above the problems: which layout was
recognised, the unknown headers, each distinct unknown value with a picker
(map to an existing value, leave out, or create where the list allows it),
whether new rows are published and rows of other municipalities skipped, sample
rows exactly as they will be stored, and the saved mappings (choose, save under
a name, download, upload). The decisions live in the session's
``state["options"]`` and are passed to ``resources_import``.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal.models import Area
from resources.importing.profiles import (
    MappingFileError,
    city_profiles,
    columns_as_keys,
    mapping_check,
    mapping_from_json,
    mapping_of,
    profile_save,
)
from resources.importing.values import CREATABLE
from resources.models import Category, Feature, Resource, Target

IGNORE = "__ignore__"
CREATE = "__create__"
MAPPING_MAX_BYTES = 1024 * 1024


def _choices(key: str) -> list[str]:
    """The values a decision may map to (as the import reads them: their names)."""
    from django.conf import settings

    with override(settings.LANGUAGE_CODE):
        if key in ("resource_type", "service"):
            return [str(label) for _v, label in Resource.Type.choices]
        if key in ("status", "visibility", "origin", "organiser_kind"):
            field = Resource._meta.get_field(key)
            return [str(label) for _v, label in field.choices]
    if key == "categories":
        return list(Category.objects.order_by("sort_order").values_list("name", flat=True))
    if key == "targets":
        return list(Target.objects.order_by("sort_order").values_list("name", flat=True))
    if key == "features":
        return list(Feature.objects.order_by("sort_order").values_list("name", flat=True))
    if key in ("area", "ward"):
        return list(
            Area.objects.order_by("tier", "sort_order", "code").values_list("name", flat=True)
        )
    return []


def preview_context(request, result, state: dict) -> dict:
    options = state.get("options", {})
    decided = options.get("values", {})
    items = []
    lists: dict[str, list[str]] = {}
    for number, item in enumerate(getattr(result, "unresolved", [])):
        key = item["key"]
        if key not in lists:
            lists[key] = _choices(key)
        current = decided.get(item["column"], {}).get(item["value"], "")
        items.append(
            {
                **item,
                "index": number,
                "choices": lists[key],
                "creatable": key in CREATABLE,
                "current": current,
            }
        )
    chosen_headers = set(options.get("columns", {}))
    state["last_mapping"] = mapping_of(result, chosen_headers, decided)
    request.session.modified = True
    columns_to_decide = [
        c
        for c in result.columns
        if c.header and (c.status in ("unknown", "chosen") or c.header == result_guess(result))
    ]
    return {
        "decision_values": items,
        "decision_columns": columns_to_decide,
        "name_missing": bool(result.columns) and not any(c.key == "name" for c in result.columns),
        "import_options": options,
        "profiles": list(city_profiles()),
        "samples": getattr(result, "samples", []),
        "duplicates": getattr(result, "duplicates", []),
    }


def result_guess(result) -> str:
    return getattr(result, "guessed", "") or ""


def preview_post(request, state: dict, action: str):
    options = state.setdefault("options", {})
    if action == "values":
        values = options.setdefault("values", {})
        for name, column in request.POST.items():
            if not name.startswith("valcol-"):
                continue
            index = name[len("valcol-") :]
            value = request.POST.get(f"valtext-{index}", "")
            chosen = request.POST.get(f"val-{index}", "")
            if not value or not chosen:
                continue
            if chosen == IGNORE:
                target = None
            elif chosen == CREATE:
                target = value
            else:
                target = chosen
            values.setdefault(column, {})[value] = target
        return True
    if action == "duplicates":
        chosen = options.setdefault("duplicates", {})
        for name, code in request.POST.items():
            if not name.startswith("dupcode-"):
                continue
            index = name[len("dupcode-") :]
            decision = request.POST.get(f"dup-{index}", "")
            existing = request.POST.get(f"dupof-{index}", "")
            if decision == "update" and existing:
                chosen[code] = f"update:{existing}"
            elif decision in ("both", "skip"):
                chosen[code] = decision
        return True
    if action == "options":
        options["publish"] = request.POST.get("publish") == "1"
        options["skip_outside"] = request.POST.get("skip_outside") == "1"
        options["drop_unknown"] = request.POST.get("drop_unknown") == "1"
        return True
    if action == "profile_load":
        profile = city_profiles().filter(pk=request.POST.get("profile") or 0).first()
        if profile is None:
            messages.error(request, _("保存した割り当てが見つかりません。"))
            return True
        _apply(state, profile.mapping)
        messages.success(request, _("割り当て「%(name)s」を使いました。") % {"name": profile.name})
        return True
    if action == "profile_save":
        name = request.POST.get("profile_name", "").strip()
        if not name:
            messages.error(request, _("割り当ての名前を入れてください。"))
            return True
        profile_save(name, state.get("last_mapping", {}), user=request.user)
        messages.success(request, _("割り当てを「%(name)s」として保存しました。") % {"name": name})
        return True
    if action == "profile_upload":
        upload = request.FILES.get("mapping_file")
        try:
            if upload is None or upload.size > MAPPING_MAX_BYTES:
                raise MappingFileError(_("割り当てのファイル（JSON、1 MB まで）を選んでください。"))
            _columns, _values = mapping_from_json(upload.read().decode("utf-8-sig"))
            _apply(state, json.loads(upload.open().read().decode("utf-8-sig")))
        except (MappingFileError, UnicodeDecodeError) as exc:
            messages.error(request, str(exc))
            return True
        messages.success(request, _("割り当てのファイルを読みました。"))
        return True
    if action == "profile_download":
        body = json.dumps(state.get("last_mapping", {}), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="import-mapping.json"'
        return response
    return None


def _apply(state: dict, mapping: dict) -> None:
    clean = mapping_check(mapping)
    options = state.setdefault("options", {})
    options["columns"] = columns_as_keys(clean["columns"])
    options["values"] = clean["values"]
    state["mapping"] = {}
