from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchConfig(AppConfig):
    """``manage.py bench``: DESIGN.md's performance figures. A development app,
    never imported by the production apps."""

    name = "bench"
    verbose_name = _("性能測定")
