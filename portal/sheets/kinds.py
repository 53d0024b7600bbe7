"""The kinds of sheet the site imports, registered by the apps that own them.

``portal`` imports no app: each app describes its import kind (``SheetKind``)
and registers it from its ``AppConfig.ready()``; the shared pages
(``portal.sheets.views``) and commands (``portal.sheets.commands``) find it here
by its slug.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.roles import is_city_staff
from portal.sheets.columns import Columns
from portal.sheets.results import SheetResult


@dataclass(frozen=True)
class DoneLink:
    label: str
    url_name: str
    query: str = ""


@dataclass(frozen=True)
class SheetKind:
    """One kind of import and how its pages speak about it.

    ``run(data, *, filename, user, dry_run, force, skip_invalid, mapping)`` is the
    kind's ``*_import`` (it calls ``portal.sheets.sheet_import``). ``pages`` is the
    URL name of the upload page; the preview and done pages are that name with
    ``_preview`` and ``_done``, and the pages answer 404 at any other URL.
    """

    slug: str
    title: Any  # a (lazily) translated string
    what: Any  # what the file holds, for 「Excel や CSV の○○を取り込みます」
    columns: Columns
    run: Callable[..., SheetResult]
    pages: str
    may_import: Callable[[Any], bool] = is_city_staff
    code_header: Any = ""  # the preview's code column ("" for none)
    name_header: Any = ""  # the preview's name column ("" for 内容)
    columns_note: Any = ""  # said above the table of columns of the upload page
    done_note: Any = ""
    done_links: tuple[DoneLink, ...] = ()
    help_examples: int = 5  # synonyms shown per column on the upload page
    # A kind's own decisions on the preview (the resource import's value mapping):
    # ``preview_include`` is shown first, with ``preview_context(request, result,
    # state)``'s names; ``preview_post(request, state, action)`` handles the kind's
    # own POST actions: True when it changed ``state`` (the preview is made again),
    # an HttpResponse to send as it is, None when the action is not its own.
    # ``state["options"]`` is passed to ``run`` as keyword arguments.
    preview_include: str = ""
    preview_context: Callable[..., dict] | None = None
    preview_post: Callable[..., Any] | None = None


_KINDS: dict[str, SheetKind] = {}


def sheet_kind_register(kind: SheetKind) -> None:
    """Register ``kind`` (again: the latest registration wins, as in a test)."""
    _KINDS[kind.slug] = kind


def sheet_kind(slug: str) -> SheetKind | None:
    return _KINDS.get(slug)


def sheet_kinds() -> list[SheetKind]:
    return list(_KINDS.values())
