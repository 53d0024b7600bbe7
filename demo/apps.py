from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo municipality (``load_demo``): a development app, never imported by
    the production apps."""

    name = "demo"
    verbose_name = "デモデータ"
