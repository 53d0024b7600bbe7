from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    # Writes move the data version themselves (resources/services.py): no signals.
    name = "resources"
    verbose_name = "地域資源"
