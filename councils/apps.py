from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("協議体")

    def ready(self) -> None:
        from councils.importing import COUNCIL_SHEET
        from portal.sheets import sheet_kind_register

        sheet_kind_register(COUNCIL_SHEET)
