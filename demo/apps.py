from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo municipality (``load_demo``): a development app, never imported by
    the production apps."""

    name = "demo"
    verbose_name = _("デモデータ")
