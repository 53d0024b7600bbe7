from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinatorsConfig(AppConfig):
    name = "coordinators"
    verbose_name = _("生活支援コーディネーター")

    def ready(self) -> None:
        from coordinators.importing import ACTIVITY_SHEET
        from portal.sheets import sheet_kind_register

        sheet_kind_register(ACTIVITY_SHEET)
