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
