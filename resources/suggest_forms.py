"""The public forms that suggest a change: short, no account, and guarded.

Guards (README "Corrections and the verification cycle"): a per-address rate
limit (``suggestion_allowed``, Django's cache), a honeypot field that people
never see, size limits on every field, and no HTML or script in any text.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import parsers
from resources.changes import personal_days
from resources.models import Resource

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|javascript:|&#", re.IGNORECASE)
MESSAGE_MAX = 1000


def no_markup(value: str) -> None:
    if value and _MARKUP.search(value):
        raise ValidationError(
            _("HTML やスクリプトは書けません。ふつうの文章で書いてください。"), code="markup"
        )


def _text(label, *, max_length, required=False, textarea=False, help_text="", **attrs):
    widget = forms.Textarea(attrs={"rows": 4, **attrs}) if textarea else forms.TextInput(attrs)
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        validators=[no_markup],
        widget=widget,
        help_text=help_text,
        error_messages={
            "max_length": _(
                "%(limit_value)s文字以内で書いてください（いまは%(show_value)s文字）。"
            ),
            "required": _("ここを書いてください。"),
        },
    )


class GuardedForm(forms.Form):
    """Sender fields and the honeypot, shared by both public forms."""

    sender_name = _text(_("お名前（任意）"), max_length=50, autocomplete="name")
    sender_contact = _text(
        _("連絡先（任意）"),
        max_length=100,
        help_text=_("電話番号かメール。"),
        autocomplete="off",
    )
    # People never see it (CSS); a program that fills every field does.
    website = forms.CharField(
        label=_("この欄は空のままにしてください"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sender_contact"].help_text = gettext(
            "電話番号かメール。担当のコーディネーターがお尋ねするときだけ使い、%(days)s日後に消します。"
        ) % {"days": personal_days()}

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class CorrectionForm(GuardedForm):
    message = _text(
        _("どこがまちがっていますか"),
        max_length=MESSAGE_MAX,
        required=True,
        textarea=True,
        help_text=_("例: 曜日が木曜に変わりました。参加費は200円です。"),
    )
    schedule = _text(
        _("正しい開催日時（わかれば）"),
        max_length=100,
        help_text=parsers.SCHEDULE_EXAMPLES,
    )
    contact_phone = _text(_("正しい電話番号（わかれば）"), max_length=30, inputmode="tel")
    status = forms.ChoiceField(
        label=_("活動のようす"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", _("変わりない・わからない")),
            (Resource.Status.PAUSED, _("お休みしている")),
            (Resource.Status.ENDED, _("終わった")),
        ],
    )
    field_order = ["message", "schedule", "contact_phone", "status"]

    def clean_schedule(self) -> str:
        value = self.cleaned_data.get("schedule") or ""
        if value:
            try:
                parsers.schedule(value)
            except parsers.ParseError:
                raise ValidationError(
                    gettext("日時を読み取れませんでした。%(examples)s")
                    % {"examples": parsers.SCHEDULE_EXAMPLES}
                ) from None
        return value

    def proposed(self) -> dict:
        data = self.cleaned_data
        proposed: dict = {}
        if data.get("schedule"):
            proposed["schedules"] = data["schedule"]
        if data.get("contact_phone"):
            proposed["contact_phone"] = data["contact_phone"]
        if data.get("status"):
            proposed["status"] = data["status"]
        return proposed


class NewPlaceForm(GuardedForm):
    name = _text(_("名前"), max_length=100, required=True, help_text=_("例: ひまわりサロン"))
    address = _text(_("場所・住所"), max_length=200, help_text=_("例: ○○町1丁目 集会所"))
    schedule = _text(_("いつ（わかれば）"), max_length=100, help_text=parsers.SCHEDULE_EXAMPLES)
    message = _text(_("どんな集まりですか（任意）"), max_length=MESSAGE_MAX, textarea=True)
    field_order = ["name", "address", "schedule", "message"]

    def proposed(self) -> dict:
        data = self.cleaned_data
        proposed = {"name": data["name"]}
        if data.get("address"):
            proposed["address"] = data["address"]
        if data.get("schedule"):
            try:
                parsers.schedule(data["schedule"])
                proposed["schedules"] = data["schedule"]
            except parsers.ParseError:
                pass  # kept in the message below for the coordinator to read
        return {name: {"old": None, "new": value} for name, value in proposed.items()}


def suggestion_allowed(address: str) -> bool:
    """At most ``SUGGESTION_RATE_LIMIT`` suggestions per address per 10 minutes."""
    limit = int(getattr(settings, "SUGGESTION_RATE_LIMIT", 5))
    key = f"suggest-rate:{address}"
    cache.add(key, 0, timeout=600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=600)
        count = 1
    return count <= limit


GROUP_FIELDS = (
    "status",
    "description",
    "venue",
    "address",
    "fee_free",
    "fee_amount",
    "fee_note",
    "how_to_join",
    "contact_name",
    "contact_phone",
    "contact_email",
)


class GroupListingForm(forms.ModelForm):
    """What a group changes of its own listing; it waits for a coordinator."""

    note = _text(_("コーディネーターへのひとこと（任意）"), max_length=300, textarea=True)

    class Meta:
        model = Resource
        fields = GROUP_FIELDS
        widgets = {
            "status": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "fee_amount": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (Resource.Status.ACTIVE, _("活動中")),
            (Resource.Status.PAUSED, _("休止中")),
            (Resource.Status.ENDED, _("終了した")),
        ]
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(no_markup)

    def _post_clean(self):
        # Nothing is written here: the diff goes to a coordinator (resources.changes).
        pass

    def proposed(self) -> dict:
        return {name: self.cleaned_data[name] for name in GROUP_FIELDS if name in self.cleaned_data}
