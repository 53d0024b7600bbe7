from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    # Writes move the data version themselves (resources/services.py): no signals.
    name = "resources"
    verbose_name = _("地域資源")
