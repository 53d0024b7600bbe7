"""Forms of the councils pages: they validate and normalise; services write."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.files import TYPE_NAMES, max_bytes
from councils.models import Council, CouncilMember, Meeting, RegionalIssue
from portal.forms import limit_long_text
from portal.models import Area
from portal.roles import areas_served_by
from portal.wareki import fiscal_year_of, format_fiscal_year
from resources.models import Resource

DATE_INVALID = _("日付を正しく入力してください（例: 2026-11-22）。")
TIME_INVALID = _("時刻を正しく入力してください（例: 13:30）。")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        tier = _("第1層") if obj.tier == Area.Tier.CITY else _("第2層")
        return f"{obj.label}（{tier}）"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _fiscal_year_choices() -> list[tuple[str, str]]:
    this_year = fiscal_year_of(timezone.localdate())
    return [("", _("（未入力）"))] + [
        (
            str(year),
            _("%(wareki)s（%(year)s年度）") % {"wareki": format_fiscal_year(year), "year": year},
        )
        for year in range(this_year + 1, 2009, -1)
    ]


class CouncilForm(forms.ModelForm):
    business_start_fy = forms.TypedChoiceField(
        label=_("事業開始年度"), required=False, coerce=int, empty_value=None
    )

    class Meta:
        model = Council
        fields = (
            "area",
            "name",
            "business_start_fy",
            "business_start_note",
            "established_on",
            "origin",
            "existing_body",
            "established_by",
            "operated_by",
            "note",
        )
        field_classes = {"area": AreaChoiceField}
        widgets = {
            "established_on": DateInput(),
            "origin": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "area": {
                "required": _("区域を選んでください。"),
                "invalid_choice": _(
                    "その区域の協議体は登録できません。担当区域から選んでください。"
                ),
            },
            "name": {"required": _("協議体名を入力してください。")},
            "established_on": {"invalid": DATE_INVALID},
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit_long_text(self)
        self.fields["area"].queryset = (
            areas_served_by(user).select_related("parent").order_by("tier", "sort_order", "code")
        )
        self.fields["business_start_fy"].choices = _fiscal_year_choices()
        self.fields["origin"].choices = Council.Origin.choices

    def clean(self):
        data = super().clean()
        area = data.get("area")
        if area is not None:
            # The tier follows the area; Council.clean checks the pair.
            self.instance.tier = area.tier
        return data


class MemberForm(forms.ModelForm):
    class Meta:
        model = CouncilMember
        fields = ("name", "sector", "organisation", "term_start", "term_end")
        widgets = {"term_start": DateInput(), "term_end": DateInput()}
        error_messages = {
            "name": {"required": _("委員の氏名を入力してください。")},
            "sector": {"required": _("委員の分野（民生委員、町会など）を選んでください。")},
            "term_start": {"invalid": DATE_INVALID},
            "term_end": {"invalid": DATE_INVALID},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit_long_text(self)
        self.fields["sector"].choices = [("", _("選んでください")), *CouncilMember.Sector.choices]


MemberFormSet = inlineformset_factory(
    Council, CouncilMember, form=MemberForm, extra=3, can_delete=True
)


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CouncilMember) -> str:
        return f"{obj.name}（{obj.get_sector_display()}）"


class MeetingForm(forms.ModelForm):
    attachments = MultipleFileField(
        label=_("添付ファイル（資料・議事録）"),
        required=False,
        help_text=_("%(types)s。1ファイル%(mb)sMBまで。関係者だけが開けます。"),
    )
    issue_themes = forms.CharField(
        label=_("提起された地域課題"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("1行に1つ。詳しい内容は保存後に課題のページで書き足せます。"),
    )

    class Meta:
        model = Meeting
        fields = (
            "date",
            "starts_at",
            "ends_at",
            "place",
            "members_present",
            "other_attendees",
            "agenda",
            "minutes",
        )
        field_classes = {"members_present": MemberChoiceField}
        widgets = {
            "date": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "members_present": forms.CheckboxSelectMultiple,
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "date": {"required": _("開催日を入力してください。"), "invalid": DATE_INVALID},
            "starts_at": {"invalid": TIME_INVALID},
            "ends_at": {"invalid": TIME_INVALID},
        }

    def __init__(self, *args, council: Council, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit_long_text(self)
        self.instance.council = council
        self.fields["members_present"].queryset = council.members.all()
        self.fields["members_present"].required = False
        self.fields["attachments"].help_text = self.fields["attachments"].help_text % {
            "types": TYPE_NAMES,
            "mb": max_bytes() // (1024 * 1024),
        }
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())

    def issue_theme_list(self) -> list[str]:
        text = self.cleaned_data.get("issue_themes") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ResourceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Resource) -> str:
        return f"{obj.name}（{obj.area.label if obj.area else ''}）"


class IssueForm(forms.ModelForm):
    resources = ResourceChoiceField(
        label=_("対応して生まれた地域資源"),
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = RegionalIssue
        fields = ("theme", "area", "description", "response", "resources")
        field_classes = {"area": AreaChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "response": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "theme": {"required": _("テーマを入力してください。")},
            "area": {
                "invalid_choice": _(
                    "課題の区域は、協議体の区域（またはその中の圏域）から選んでください。"
                )
            },
        }

    def __init__(self, *args, council: Council, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit_long_text(self)
        areas = Area.objects.within(council.area_id)
        self.fields["area"].queryset = areas.select_related("parent").order_by(
            "tier", "sort_order", "code"
        )
        resources = Resource.objects.filter(area__in=areas)
        if self.instance.pk:
            resources = resources | Resource.objects.filter(regional_issues=self.instance)
        self.fields["resources"].queryset = (
            resources.distinct().select_related("area__parent").order_by("kana", "name")
        )


class IssueStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新しい状況"))
    note = forms.CharField(
        label=_("経過のメモ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, issue: RegionalIssue, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit_long_text(self)
        self.fields["status"].choices = issue.next_statuses()


class EscalateForm(forms.Form):
    reported_meeting = forms.ModelChoiceField(
        label=_("報告した第1層の会議（任意）"), queryset=Meeting.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("報告のメモ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, to_council: Council | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if to_council is not None:
            self.fields["reported_meeting"].queryset = to_council.meetings.order_by("-date")
        self.fields["reported_meeting"].empty_label = _("（まだ報告していない・会議以外で報告）")
