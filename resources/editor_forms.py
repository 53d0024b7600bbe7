"""The coordinators' editor: a resource and its schedule rules, on a phone.

Forms validate and normalise; ``resources.services`` writes (STYLE.md). Days
are checkboxes drawn as big chips, times are text read by
``portal.parsers.clock_time`` (13:30, 1330, 13時30分 all work), and the schedule
rules are a formset that adds and removes rows without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import parsers, weekdays
from portal.models import Area
from resources.models import Category, Resource, ScheduleException, ScheduleRule

EDIT_FIELDS = (
    "name",
    "kana",
    "resource_type",
    "categories",
    "status",
    "description",
    "venue",
    "address",
    "access",
    "fee_free",
    "fee_amount",
    "fee_note",
    "how_to_join",
    "contact_name",
    "contact_phone",
    "contact_email",
    "url",
    "contact_person",
    "private_phone",
    "internal_notes",
    "visibility",
    "area",
)
# A status change to one of these asks why (kept as the history entry's reason).
STATUSES_WITH_REASON = (Resource.Status.PAUSED, Resource.Status.ENDED)
WEEK_CHOICES = [
    ("1", _("第1")),
    ("2", _("第2")),
    ("3", _("第3")),
    ("4", _("第4")),
    ("5", _("第5")),
    ("-1", _("最終")),
]


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return obj.label


class ClockField(forms.Field):
    """A time of day typed as 13:30, 1330 or 13時30分."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "off", "placeholder": "13:30", "size": 8, "maxlength": 20}
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%H:%M")
        return value

    def to_python(self, value):
        value = str(value or "").strip()[:40]
        try:
            return parsers.clock_time(value)
        except parsers.ParseError:
            raise ValidationError(
                gettext("「%(value)s」を時刻として読み取れません（例: 13:30、1330、13時30分）。")
                % {"value": value},
                code="invalid",
            ) from None


class ResourceEditForm(forms.ModelForm):
    """The fields a coordinator changes; ``area`` limited to the areas they serve."""

    status_reason = forms.CharField(
        label=_("休止・終了の理由"),
        required=False,
        max_length=80,
        help_text=_("休止中・終了にするときに書いてください（例: 会場の改修のため）。"),
    )

    class Meta:
        model = Resource
        fields = EDIT_FIELDS
        field_classes = {"area": AreaChoiceField}
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
            "fee_amount": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "private_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, areas, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.order_by("sort_order", "code")
        self.fields["area"].queryset = areas.select_related("parent").order_by(
            "tier", "sort_order", "code"
        )
        self.fields["area"].required = False
        self.fields["area"].empty_label = _("住所から自動で決める")
        self.fields["area"].help_text = _("担当区域から選べます。")
        self.fields["name"].error_messages["required"] = _("名称を入力してください。")
        self.fields["resource_type"].error_messages["required"] = _("種別を選んでください。")
        self.fields["status"].choices = Resource.Status.choices
        self.fields["visibility"].choices = Resource.Visibility.choices
        self.fields["kana"].help_text = _("ひらがなで（五十音順の並びに使います）")
        self.initial_status = self.instance.status if self.instance.pk else None

    def clean(self):
        data = super().clean()
        status = data.get("status")
        changed = status != self.initial_status
        if changed and status in STATUSES_WITH_REASON and not data.get("status_reason"):
            self.add_error(
                "status_reason",
                gettext("「%(status)s」にする理由を書いてください。")
                % {"status": Resource.Status(status).label},
            )
        return data

    def _post_clean(self):
        # The write service validates the model (resources/services.py); the form
        # only checks what it was given, so the instance in memory stays as read.
        pass

    def changes(self) -> dict:
        """The model fields to write, and whether the area was chosen by hand."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in EDIT_FIELDS
            if name not in ("categories", "area") and name in data
        }
        area = data.get("area")
        if area is not None and area.pk != self.instance.area_id:
            fields["area"] = area
            fields["area_locked"] = True
        return fields


class ScheduleRuleForm(forms.Form):
    """One schedule rule: 毎週火曜 13:30〜15:00, 第1・3水曜, 毎月15日 …"""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("くり返し"),
        choices=ScheduleRule.Kind.choices,
        initial=ScheduleRule.Kind.WEEKLY,
        widget=forms.RadioSelect,
    )
    days = forms.MultipleChoiceField(
        label=_("曜日"),
        choices=weekdays.CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    weeks = forms.MultipleChoiceField(
        label=_("第何週（毎月第n曜日のとき）"),
        choices=WEEK_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    day_of_month = forms.IntegerField(
        label=_("毎月何日（毎月の日付のとき）"),
        required=False,
        min_value=1,
        max_value=31,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    opens_at = ClockField(label=_("開始時刻"), help_text=_("例: 13:30、1330、13時30分"))
    closes_at = ClockField(label=_("終了時刻"))
    note = forms.CharField(label=_("補足"), required=False, max_length=200)

    def has_changed(self) -> bool:
        # A blank row (only the preset 毎週) is no rule.
        if not self.is_bound:
            return False
        changed = set(self.changed_data) - {"kind", "id"}
        return bool(changed) or bool(self["id"].value())

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        rule = self.rule(ScheduleRule())
        try:
            rule.clean()
        except ValidationError as error:
            where = {"weekdays": "days", "weeks_of_month": "weeks"}
            for name, messages in error.message_dict.items():
                self.add_error(where.get(name, name) if name != "__all__" else None, messages)
        return data

    def rule(self, rule: ScheduleRule) -> ScheduleRule:
        """``rule`` (new or an existing one) with what this row holds."""
        data = self.cleaned_data
        rule.kind = data["kind"]
        rule.weekdays = weekdays.joined(data.get("days") or [])
        rule.weeks_of_month = ",".join(data.get("weeks") or [])
        rule.day_of_month = data.get("day_of_month")
        rule.opens_at = data.get("opens_at")
        rule.closes_at = data.get("closes_at")
        rule.note = data.get("note") or ""
        return rule


class BaseScheduleFormSet(forms.BaseFormSet):
    def get_deletion_widget(self):
        return forms.CheckboxInput

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("この日時を消す")


ScheduleFormSet = forms.formset_factory(
    ScheduleRuleForm, formset=BaseScheduleFormSet, extra=1, can_delete=True, max_num=12
)


def rule_initial(rule: ScheduleRule) -> dict:
    return {
        "id": rule.pk,
        "kind": rule.kind,
        "days": rule.weekday_list,
        "weeks": [str(n) for n in rule.week_list],
        "day_of_month": rule.day_of_month,
        "opens_at": rule.opens_at,
        "closes_at": rule.closes_at,
        "note": rule.note,
    }


def rules_from(formset, existing: dict[int, ScheduleRule]) -> list[ScheduleRule]:
    """The rules the formset keeps, existing ones changed in place, in order."""
    rules = []
    for form in formset.forms:
        if not form.has_changed() or form.cleaned_data.get("DELETE"):
            continue
        pk = form.cleaned_data.get("id")
        rule = form.rule(existing[pk] if pk in existing else ScheduleRule())
        rule.sort_order = len(rules)
        rules.append(rule)
    return rules


def with_one_more_row(data, prefix: str = "rules", most: int = 12) -> dict:
    """The POST of 「もう1件加える」: the same rows and one blank one more."""
    data = data.copy()
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
    except ValueError:
        total = 0
    data[f"{prefix}-TOTAL_FORMS"] = str(max(0, min(total + 1, most)))
    return data


# Days off, time changes and notices (ScheduleException) ---------------------------

_MONTH_DAY = re.compile(r"^(?P<month>\d{1,2})\s*[月/.-]\s*(?P<day>\d{1,2})\s*日?$")
_FULL_DATE = re.compile(
    r"^(?P<year>\d{4})\s*[年/.-]\s*(?P<month>\d{1,2})\s*[月/.-]\s*(?P<day>\d{1,2})\s*日?$"
)
# A month and day typed without a year this long ago means next year's (「1/3」 in December).
PAST_DAYS_WITHOUT_YEAR = 60


class DayField(forms.Field):
    """A date typed as 12/29, 12月29日, 2026/12/29 or 令和8年12月29日."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "off", "placeholder": "12/29", "size": 12, "maxlength": 30}
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return f"{value.year}/{value.month}/{value.day}"
        return value

    def to_python(self, value):
        typed = str(value or "").strip()[:40]
        if not typed:
            return None
        cleaned = unicodedata.normalize("NFKC", typed).strip()
        cleaned = re.sub(r"\s*[(（][月火水木金土日祝]+[)）]$", "", cleaned)  # 12/29(火)
        try:
            if match := _MONTH_DAY.match(cleaned):
                return _next_such_day(int(match["month"]), int(match["day"]))
            if match := _FULL_DATE.match(cleaned):
                return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
            if len(re.findall(r"\d+|元", cleaned)) >= 3:
                return parsers.a_date(cleaned)
        except (ValueError, parsers.ParseError):
            pass
        raise ValidationError(
            gettext("「%(value)s」を日付として読み取れません（例: 12/29、12月29日、2027/1/3）。")
            % {"value": typed},
            code="invalid",
        )


def _next_such_day(month: int, day: int) -> dt.date:
    today = timezone.localdate()
    found = dt.date(today.year, month, day)
    if found < today - dt.timedelta(days=PAST_DAYS_WITHOUT_YEAR):
        found = dt.date(today.year + 1, month, day)
    return found


class _ExceptionRow(forms.Form):
    """A row of days off or notices: blank rows are no row; the model's rules
    (ScheduleException.clean) are checked here so the row keeps what was typed."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The field a row in use must have, and what to say when it is empty.
    needed: tuple[str, str] = ("", "")

    def has_changed(self) -> bool:
        if not self.is_bound:
            return False
        return bool(set(self.changed_data) - {"kind", "id"}) or bool(self["id"].value())

    def clean(self):
        data = super().clean()
        if data.get("DELETE"):
            return data
        name, message = self.needed
        if name and name not in self.errors and not data.get(name):
            self.add_error(name, str(message))
        if self.errors:
            return data
        try:
            self.exception(ScheduleException(resource=Resource())).clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return data


class DayOffForm(_ExceptionRow):
    """A day (or days) the resource does not meet, or meets at other times."""

    kind = forms.ChoiceField(
        label=_("この日は"),
        choices=[
            (ScheduleException.Kind.CLOSED, _("休み")),
            (ScheduleException.Kind.MOVED, _("時間変更")),
        ],
        initial=ScheduleException.Kind.CLOSED,
        widget=forms.RadioSelect,
    )
    starts_on = DayField(
        label=_("日付"),
        required=False,
        help_text=_("例: 12/29、12月29日、2027/1/3"),
    )
    ends_on = DayField(
        label=_("最後の日（続けて休むときだけ）"),
        required=False,
        help_text=_("例: 12月29日〜1月3日なら 1/3"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "1/3", "size": 12, "maxlength": 30}
        ),
    )
    opens_at = ClockField(label=_("変更後の開始時刻（時間変更のとき）"))
    closes_at = ClockField(
        label=_("変更後の終了時刻"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "15:00", "size": 8, "maxlength": 20}
        ),
    )
    text = forms.CharField(
        label=_("理由（短く）"),
        required=False,
        max_length=60,
        help_text=_("例: 年末年始、会場の点検"),
    )

    needed = ("starts_on", _("日付を入力してください。"))

    def exception(self, exception: ScheduleException) -> ScheduleException:
        data = self.cleaned_data
        exception.kind = data["kind"]
        exception.starts_on = data.get("starts_on")
        exception.ends_on = data.get("ends_on") or data.get("starts_on")
        moved = exception.kind == ScheduleException.Kind.MOVED
        exception.opens_at = data.get("opens_at") if moved else None
        exception.closes_at = data.get("closes_at") if moved else None
        exception.text = data.get("text") or ""
        return exception


def day_off_initial(exception: ScheduleException) -> dict:
    return {
        "id": exception.pk,
        "kind": exception.kind,
        "starts_on": exception.starts_on,
        "ends_on": exception.ends_on if exception.ends_on != exception.starts_on else None,
        "opens_at": exception.opens_at,
        "closes_at": exception.closes_at,
        "text": exception.text,
    }


class NoticeForm(_ExceptionRow):
    """A notice shown on the resource's pages until its last day."""

    text = forms.CharField(
        label=_("お知らせの内容"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例: 1月は会場を北集会所に変更します"),
    )
    ends_on = DayField(
        label=_("いつまで表示するか"),
        required=False,
        help_text=_("この日を過ぎると表示しません。例: 1/31"),
    )

    needed = ("ends_on", _("いつまで表示するかを入力してください。"))

    def exception(self, exception: ScheduleException) -> ScheduleException:
        exception.kind = ScheduleException.Kind.NOTICE
        exception.text = self.cleaned_data.get("text") or ""
        exception.ends_on = self.cleaned_data.get("ends_on")
        if exception.starts_on is None:
            exception.starts_on = min(timezone.localdate(), exception.ends_on or dt.date.max)
        return exception


def notice_initial(exception: ScheduleException) -> dict:
    return {"id": exception.pk, "text": exception.text, "ends_on": exception.ends_on}


class BaseExceptionFormSet(forms.BaseFormSet):
    delete_label = ""

    def get_deletion_widget(self):
        return forms.CheckboxInput

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.delete_label


class DayOffFormSetBase(BaseExceptionFormSet):
    delete_label = _("この日を消す")


class NoticeFormSetBase(BaseExceptionFormSet):
    delete_label = _("このお知らせを消す")


DayOffFormSet = forms.formset_factory(
    DayOffForm, formset=DayOffFormSetBase, extra=1, can_delete=True, max_num=30
)
NoticeFormSet = forms.formset_factory(
    NoticeForm, formset=NoticeFormSetBase, extra=1, can_delete=True, max_num=10
)


def date_formsets(data, dates: dict) -> tuple:
    """The days-off and notice rows of a page (the editor, a group link), from
    ``dates``: the resource's exceptions not yet over, by id."""
    days_off = DayOffFormSet(
        data,
        prefix="days_off",
        initial=[day_off_initial(e) for e in dates.values() if e.kind != e.Kind.NOTICE],
    )
    notices = NoticeFormSet(
        data,
        prefix="notices",
        initial=[notice_initial(e) for e in dates.values() if e.kind == e.Kind.NOTICE],
    )
    return days_off, notices


# The 「もう1件」 buttons and the formset each adds a row to.
ADD_ROW_BUTTONS = {"add_rule": ("rules", 12), "add_day_off": ("days_off", 30)}
ADD_ROW_BUTTONS["add_notice"] = ("notices", 10)


def exceptions_from(formset, existing: dict[int, ScheduleException], resource: Resource):
    """(to save, to delete) from a days-off or notices formset."""
    save, delete = [], []
    for form in formset.forms:
        if not form.has_changed():
            continue
        pk = form.cleaned_data.get("id")
        if form.cleaned_data.get("DELETE"):
            if pk in existing:
                delete.append(existing[pk])
            continue
        exception = existing[pk] if pk in existing else ScheduleException(resource=resource)
        save.append(form.exception(exception))
    return save, delete
