from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "地域資源"

    def ready(self) -> None:
        from portal.models import Area
        from resources.models import Category, Feature, Target
        from resources.search import forget_reference_lists

        for model in (Area, Category, Target, Feature):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_reference_lists,
                    sender=model,
                    dispatch_uid=f"reference-lists-{signal is post_save}-{model.__name__}",
                )
