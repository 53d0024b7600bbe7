from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_migrate, post_save


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "地域資源ポータル"

    def ready(self) -> None:
        from portal.geo import reset_locator
        from portal.models import AddressPoint, Area

        for model in (Area, AddressPoint):
            post_save.connect(reset_locator, sender=model, dispatch_uid=f"locator-{model.__name__}")
            post_delete.connect(
                reset_locator, sender=model, dispatch_uid=f"locator-d-{model.__name__}"
            )
        from portal.roles import ensure_role_groups

        # After every app's migrations, so that all permissions exist.
        post_migrate.connect(ensure_role_groups, dispatch_uid="portal-role-groups")
        _discover_admin_modules()


def _discover_admin_modules() -> None:
    """django.contrib.admin's autodiscovery, minus leaflet.admin (it needs GDAL)."""
    for config in apps.get_app_configs():
        if config.name == "leaflet":
            continue
        module = f"{config.name}.admin"
        if find_spec(module) is not None:
            import_module(module)
