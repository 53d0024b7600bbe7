"""The portal's languages: Japanese, the source, and the catalogues in locale/.

``manage.py makemessages -l en`` and ``manage.py compilemessages`` (``make
messages``, ``make install``) read the project's sources with the defaults
below, so that every run, by hand, in make or in the catalogue test, extracts
the same strings in the same form.

Pages follow the visitor's language; data files do not. A CSV or XLSX export, the
open data, the HSDS API and the report tables are read back by the importer or
filed with the city and the prefecture, so they keep Japanese (the words of the
import vocabulary and of the city's formats) whatever language the pages are in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation

# Folders that hold no strings of the portal's own: tools, installed packages,
# collected or uploaded files, and the tests (their strings are never shown).
IGNORED = [
    ".*",
    "node_modules",
    "staticfiles",
    "media",
    "private_media",
    "test-results",
    "tests",
    "*.html.py",  # makemessages' own work files, if a run was interrupted
]


def source_language() -> translation.override:
    """``with source_language():`` — Japanese inside, whatever the page's language."""
    return translation.override(settings.LANGUAGE_CODE)


def in_source_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view whose response is a data file: rendered in Japanese, and saying so."""

    @wraps(view)
    def wrapper(request, *args, **kwargs) -> HttpResponse:
        with source_language():
            response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
        return response

    return wrapper
