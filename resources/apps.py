from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    # Writes move the data version themselves (resources/services.py): no signals.
    name = "resources"
    verbose_name = _("地域資源")

    def ready(self) -> None:
        from portal.sheets import sheet_kind_register
        from resources.importing import RESOURCE_SHEET
        from resources.print_jobs import print_job_kinds_register

        sheet_kind_register(RESOURCE_SHEET)
        print_job_kinds_register()

        from datetime import timedelta

        from portal.jobs.schedule import periodic_register
        from resources.changes import suggestion_personal_data_purge
        from resources.recheck import change_digest_send, recheck_periodic

        periodic_register(
            "resources.suggestion_personal_data_purge",
            every=timedelta(days=1),
            offset=timedelta(hours=3),
            run=suggestion_personal_data_purge,
        )
        periodic_register(
            "resources.recheck_requests",
            every=timedelta(days=1),
            offset=timedelta(hours=6),
            run=recheck_periodic,
        )
        periodic_register(
            "resources.change_digest",
            every=timedelta(days=1),
            offset=timedelta(hours=7),
            run=change_digest_send,
        )
