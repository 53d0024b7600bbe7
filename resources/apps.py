from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "地域資源"

    def ready(self) -> None:
        from portal.models import AddressPoint, Area
        from resources import cache
        from resources.cache import data_changed
        from resources.models import Category, Feature, Resource, ScheduleRule, Target

        # Whatever a public page shows: a change makes the cached pages stale.
        for model in (Resource, ScheduleRule, Area, AddressPoint, Category, Target, Feature):
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
        request_started.connect(cache.request_started, dispatch_uid="data-version-request")
        request_finished.connect(cache.request_finished, dispatch_uid="data-version-finished")
        # A deploy migrates: pages kept by the code before it go stale too.
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="data-changed-migrate")


def _after_migrate(**kwargs) -> None:
    from django.apps import apps as installed

    from resources.cache import data_changed

    try:  # the models as migrated (a flush sends no "apps": then as installed)
        (kwargs.get("apps") or installed).get_model("resources", "DataVersion")
    except LookupError:  # migrated back to before it
        return
    data_changed()
