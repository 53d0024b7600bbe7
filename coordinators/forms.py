"""Forms validate and normalise; the services write (STYLE.md)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinators.models import COUNT_MAX, COUNT_MESSAGE, COUNT_MIN, Activity, Function, Kind
from coordinators.policy import activity_areas_for
from coordinators.selectors import linkable_resources
from portal.forms import limit_long_text
from portal.models import Area
from resources.models import Resource


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return obj.label


class ResourceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Resource) -> str:
        status = "" if obj.status == Resource.Status.ACTIVE else f"（{obj.get_status_display()}）"
        return f"{obj.name}{status}"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ActivityForm(forms.ModelForm):
    """The quick activity form: today, my area and one tap for kind and function."""

    functions = forms.MultipleChoiceField(
        label=_("機能"),
        choices=Function.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("機能を1つ以上選んでください。")},
    )
    count = forms.IntegerField(
        label=_("延件数"),
        initial=1,
        min_value=COUNT_MIN,
        max_value=COUNT_MAX,
        error_messages={
            "required": COUNT_MESSAGE,
            "invalid": COUNT_MESSAGE,
            "min_value": COUNT_MESSAGE,
            "max_value": COUNT_MESSAGE,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("同じ内容をまとめて記録するときの件数（1〜999）"),
    )

    class Meta:
        model = Activity
        fields = (
            "date",
            "kind",
            "functions",
            "count",
            "area",
            "resources",
            "source",
            "source_note",
            "heard",
            "needs",
            "no_matching_resource",
            "response",
            "follow_up_on",
            "is_case_example",
        )
        field_classes = {"area": AreaChoiceField, "resources": ResourceChoiceField}
        widgets = {
            "date": DateInput(),
            "follow_up_on": DateInput(),
            "kind": forms.RadioSelect,
            "heard": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.SelectMultiple(attrs={"size": 6}),
            "needs": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "date": {
                "required": _("日付を入力してください。"),
                "invalid": _("日付を正しく入力してください（例: 2026-11-22）。"),
            },
            "kind": {"required": _("種別（訪問・相談など）を選んでください。")},
            "area": {
                "required": _("区域を選んでください。"),
                "invalid_choice": _(
                    "その区域はあなたの担当区域ではないため、活動を記録できません。担当区域から選んでください。"
                ),
            },
            "follow_up_on": {"invalid": _("日付を正しく入力してください（例: 2026-11-22）。")},
        }

    def __init__(self, *args, user, coordinator=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit_long_text(self)
        self.user = user
        areas = (
            activity_areas_for(user).select_related("parent").order_by("tier", "sort_order", "code")
        )
        self.fields["area"].queryset = areas
        self.fields["area"].empty_label = None if areas.count() == 1 else _("選んでください")
        resources = linkable_resources(fetched_by=user)
        if self.instance.pk:
            # Resources already linked stay selectable even outside my areas.
            resources = Resource.objects.filter(
                pk__in=resources.values("pk")
            ) | Resource.objects.filter(activities=self.instance)
            resources = resources.distinct().select_related("area").order_by("kana", "name")
            self.initial.setdefault("functions", self.instance.function_codes)
        self.fields["resources"].queryset = resources
        self.fields["resources"].required = False
        self.fields["resources"].help_text = _(
            "担当区域の地域資源です。複数選ぶときは Ctrl（Mac は ⌘）を押しながら選びます。"
        )
        self.fields["kind"].choices = Kind.choices
        self.fields["source"].choices = [("", _("（なし）")), *self.fields["source"].choices[1:]]
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("count", 1)
            default_area = self._default_area(coordinator, areas)
            if default_area is not None:
                self.initial.setdefault("area", default_area.pk)
        if coordinator is not None and coordinator.tier != Area.Tier.CITY:
            # 2層支援 is a tier-1 function (004: 1層のみ).
            self.fields["functions"].choices = [
                choice for choice in Function.choices if choice[0] != Function.TIER2
            ]

    @staticmethod
    def _default_area(coordinator, areas) -> Area | None:
        if coordinator is not None:
            own = [area for area in coordinator.user.areas.all() if area in areas]
            if own:
                return own[0]
        return areas.first()


class ActivityFilterForm(forms.Form):
    """The activity list's filters; the list reads them through ActivityFilters."""

    fy = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    area = forms.ChoiceField(label=_("区域"), required=False)
    kind = forms.MultipleChoiceField(
        label=_("種別"), choices=Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    function = forms.MultipleChoiceField(
        label=_("機能"),
        choices=Function.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    q = forms.CharField(label=_("ことば（聴き取った内容・対応）"), required=False, max_length=100)
    mine = forms.BooleanField(label=_("自分の記録だけ"), required=False)
    case = forms.BooleanField(label=_("主な事例だけ"), required=False)
    follow_up = forms.BooleanField(label=_("次の対応日があるものだけ"), required=False)

    def __init__(self, *args, fiscal_years, areas, **kwargs) -> None:
        from portal.wareki import format_fiscal_year

        super().__init__(*args, **kwargs)
        self.fields["fy"].choices = [("", _("すべて"))] + [
            (str(year), format_fiscal_year(year)) for year in fiscal_years
        ]
        self.fields["area"].choices = [("", _("すべての区域"))] + [
            (area.code, area.label) for area in areas
        ]


class LaunchForm(forms.Form):
    """Record that a supported resource started: 新規立ち上げ or 既存資源の拡充."""

    origin = forms.ChoiceField(
        label=_("区分"),
        choices=[
            (Resource.Origin.NEW, Resource.Origin.NEW.label),
            (Resource.Origin.EXPANDED, Resource.Origin.EXPANDED.label),
        ],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(
        label=_("活動を始めた日"),
        widget=DateInput(),
        error_messages={"invalid": _("日付を正しく入力してください（例: 2026-11-22）。")},
    )
