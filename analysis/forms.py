"""The participants form: one number per 通いの場 the user may edit, for a 年度."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from analysis.models import Participation
from analysis.policy import participation_resources
from analysis.services import participation_save
from portal.models import Area

MAX_PARTICIPANTS = 100_000


class ParticipationForm(forms.Form):
    def __init__(self, *args, user, fiscal_year: int, area=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.fiscal_year = user, fiscal_year
        resources = participation_resources(user)
        if area is not None:
            resources = resources.filter(area__in=Area.objects.within(area))
        self.resources = list(
            resources.select_related("area").order_by(
                "area__sort_order", "area__code", "kana", "name"
            )
        )
        known = dict(
            Participation.objects.filter(
                fiscal_year=fiscal_year, resource__in=self.resources
            ).values_list("resource_id", "participants")
        )
        for resource in self.resources:
            self.fields[f"r{resource.pk}"] = forms.IntegerField(
                label=resource.name,
                required=False,
                min_value=0,
                max_value=MAX_PARTICIPANTS,
                initial=known.get(resource.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": _("人数は0以上の整数で入力してください。"),
                    "min_value": _("人数は0以上の整数で入力してください。"),
                    "max_value": _("人数が大きすぎます。"),
                },
            )

    def rows(self):
        for resource in self.resources:
            yield resource, self[f"r{resource.pk}"]

    def save(self) -> int:
        changed = 0
        for resource in self.resources:
            changed += participation_save(
                resource=resource,
                fiscal_year=self.fiscal_year,
                participants=self.cleaned_data.get(f"r{resource.pk}"),
                by=self.user,
            )
        return changed
