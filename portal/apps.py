from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("地域資源ポータル")

    def ready(self) -> None:
        from portal import cache
        from portal.roles import ensure_role_groups

        # No model signals: every writer of what the public pages show moves the
        # data version itself, once (portal/cache.py).
        request_started.connect(cache.request_started, dispatch_uid="data-version-request")
        request_finished.connect(cache.request_finished, dispatch_uid="data-version-finished")
        # A deploy migrates: pages kept by the code before it go stale too.
        post_migrate.connect(_after_migrate, dispatch_uid="data-changed-migrate")
        # After every app's migrations, so that all permissions exist.
        post_migrate.connect(ensure_role_groups, dispatch_uid="portal-role-groups")
        _discover_admin_modules()
        _register_periodic_jobs()


def _register_periodic_jobs() -> None:
    """The kernel's own periodic work; apps add theirs the same way (one line each)."""
    from datetime import timedelta

    from portal.jobs import periodic_register
    from portal.jobs.service import jobs_expire, jobs_fail_stale
    from portal.sheets.jobs import sheet_job_kinds_register
    from portal.sheets.uploads import uploads_purge_stale

    periodic_register("jobs.fail_stale", every=timedelta(minutes=1), run=jobs_fail_stale)
    periodic_register("jobs.expire", every=timedelta(hours=1), run=jobs_expire)
    periodic_register("sheets.purge_uploads", every=timedelta(hours=1), run=uploads_purge_stale)
    sheet_job_kinds_register()


def _after_migrate(sender, **kwargs) -> None:
    from portal.cache import data_changed

    if sender.name != "portal":
        return
    try:  # the models as migrated (a flush sends no "apps": then as installed)
        (kwargs.get("apps") or apps).get_model("portal", "DataVersion")
    except LookupError:  # migrated back to before it
        return
    data_changed()


def _discover_admin_modules() -> None:
    """django.contrib.admin's autodiscovery, minus leaflet.admin (it needs GDAL)."""
    for config in apps.get_app_configs():
        if config.name == "leaflet":
            continue
        module = f"{config.name}.admin"
        if find_spec(module) is not None:
            import_module(module)
