from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("地域資源")

    def ready(self) -> None:
        from portal.cache import data_changed
        from portal.sheets import sheet_kind_register
        from resources.importing import RESOURCE_SHEET
        from resources.models import Category, Feature, Resource, ScheduleRule, Target

        sheet_kind_register(RESOURCE_SHEET)

        # Whatever a public page shows: a change makes the cached pages stale.
        for model in (Resource, ScheduleRule, Category, Target, Feature):
            for signal in (post_save, post_delete):
                signal.connect(
                    data_changed,
                    sender=model,
                    dispatch_uid=f"data-changed-{signal is post_save}-{model.__name__}",
                )
        for through in (
            Resource.categories.through,
            Resource.targets.through,
            Resource.features.through,
        ):
            m2m_changed.connect(
                data_changed, sender=through, dispatch_uid=f"data-changed-{through.__name__}"
            )
