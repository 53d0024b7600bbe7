from django.apps import AppConfig


class CoordinatorsConfig(AppConfig):
    name = "coordinators"
    verbose_name = "生活支援コーディネーター"

    def ready(self) -> None:
        from coordinators.importing import ACTIVITY_SHEET
        from portal.sheets import sheet_kind_register

        sheet_kind_register(ACTIVITY_SHEET)
