from __future__ import annotations

from django.core.management.commands import makemessages

from portal.i18n import IGNORED


class Command(makemessages.Command):
    help = (
        "Django's makemessages with the portal's defaults: the folders in "
        "portal.i18n.IGNORED are skipped, and the catalogue keeps no source "
        "locations (code that moves does not change it) and no obsolete entries."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(no_location=True, no_obsolete=True)

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *IGNORED]
        if options.get("add_location"):
            options["no_location"] = False
        return super().handle(*args, **options)
