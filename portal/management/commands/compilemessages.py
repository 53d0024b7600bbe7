from __future__ import annotations

from django.core.management.commands import compilemessages

from portal.i18n import IGNORED


class Command(compilemessages.Command):
    help = (
        "Django's compilemessages, skipping the folders in portal.i18n.IGNORED "
        "(the virtualenv's packages ship catalogues of their own, already built)."
    )

    def handle(self, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *IGNORED]
        return super().handle(**options)
