from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "ユーザー名またはパスワードが正しくありません。大文字と小文字も確認してください。"
        ),
        "inactive": _("このアカウントは利用できません。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("ユーザー名")
        self.fields["password"].label = _("パスワード")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})


# The longest text a staff form takes in a field without a limit of its own
# (an activity's 聴き取った内容, a meeting's 議事録): long enough for any real
# record, short enough that one request cannot fill the database or the PDFs.
TEXT_MAX_LENGTH = 5000


def limit_long_text(form, limit: int = TEXT_MAX_LENGTH) -> None:
    """Give every text field of ``form`` without a maximum length ``limit``
    (Django's own message, in Japanese: 「この値は 5000 文字以下で…」)."""
    from django import forms
    from django.core.validators import MaxLengthValidator

    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length is None:
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs.setdefault("maxlength", str(limit))
