from django.apps import AppConfig


class BenchConfig(AppConfig):
    """``manage.py bench``: DESIGN.md's performance figures. A development app,
    never imported by the production apps."""

    name = "bench"
    verbose_name = "性能測定"
