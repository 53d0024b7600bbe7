"""The resource import on the sheet engine: ``resources_import`` and its kind.

``resources_import`` reads the file and lays it out with ``portal.sheets``
(columns of ``columns.COLUMN_REGISTRY``, anchored on 名称), then the
``planning.Importer`` parses and plans every row and writes them at once
(``writer``) when the all-or-nothing run may write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from portal import parsers
from portal.sheets import (
    DoneLink,
    Problem,
    Sheet,
    SheetKind,
    SheetResult,
    SheetRun,
    sheet_import,
    sheet_import_path,
)
from resources.importing.columns import COLUMN_REGISTRY
from resources.importing.layouts import recognise
from resources.importing.page import preview_context, preview_post
from resources.importing.planning import Importer


@dataclass
class ResourceImportResult(SheetResult):
    """A sheet result with what the resource import adds (all JSON values, for jobs)."""

    layout: str = ""  # the public layout recognised by its headers
    unresolved: list = field(default_factory=list)  # {column, value, rows, key, first}
    outside: int = 0  # rows of another municipality
    samples: list = field(default_factory=list)  # rows as they will be stored
    duplicates: list = field(default_factory=list)  # rows like a registered resource
    guessed: str = ""  # the header read as 名称 without being told

    def mapping_columns(self) -> dict[str, str | None]:
        """The columns part of a mapping file: header → export header or None."""
        from resources.importing.columns import COLUMN_BY_KEY

        found: dict[str, str | None] = {}
        for m in self.columns:
            if m.header:
                found[m.header] = COLUMN_BY_KEY[m.key].header if m.key else None
        return found

    @property
    def needs_decision(self) -> bool:
        return bool(self.errors) or (bool(self.confirmation) and not self.written)


# A header that names something (…名称, …名, name): read as 名称 when nothing else is.
_NAME_LIKE = re.compile(r"(名称|名前|施設名|事業所名|団体名|name)$", re.IGNORECASE)


def resources_import(
    data: bytes,
    *,
    filename: str = "",
    user=None,
    dry_run: bool = True,
    force: bool = False,
    skip_invalid: bool = False,
    mapping: dict[int | str, str] | None = None,
    values: dict | None = None,
    columns: dict[str, str] | None = None,
    publish: bool = False,
    skip_outside: bool = False,
    duplicates: dict[str, str] | None = None,
    check_outside: bool = True,
    drop_unknown: bool = False,
) -> SheetResult:
    """Read, check and (unless ``dry_run``) write the resources of a spreadsheet.

    ``mapping`` assigns columns (by index from 0, or by header text) to column
    keys, or "" to skip a column, where the headers are not known. ``force``
    writes a mass change (more than half of the registry) without asking;
    ``skip_invalid`` writes the valid rows and reports the others. ``values`` are
    the value decisions of a mapping file (``values``), ``columns`` its column
    assignment by header; ``publish`` makes new rows 公開 when the file has no
    公開範囲 column (else 関係者限定); ``skip_outside`` leaves out the rows of
    other municipalities instead of refusing the file; ``duplicates`` decides rows
    like a registered resource (row code → "update:<code>", "both" or "skip");
    ``check_outside=False`` takes every row as the city's (the bench's national file);
    ``drop_unknown`` leaves unknown values empty with a warning instead of waiting. Never raises
    for a bad file: problems are in ``result.errors``, in Japanese, with their
    row and column.
    """
    reason = f"表計算ファイルの取込（{filename}）" if filename else "表計算ファイルの取込"

    def process(sheet: Sheet, run: SheetRun) -> None:
        layout = recognise([m.header for m in sheet.mappings])
        run.result.layout = layout.name if layout else ""
        Importer(
            sheet,
            run.result,
            user=user,
            reason=reason[:100],
            values=values,
            publish=publish,
            skip_outside=skip_outside,
            duplicates=duplicates,
            check_outside=check_outside,
            drop_unknown=drop_unknown,
        ).run(run)

    def attempt(columns: dict | None) -> ResourceImportResult:
        return sheet_import(
            data,
            columns=COLUMN_REGISTRY,
            process=process,
            result=ResourceImportResult(filename=filename),
            dry_run=dry_run,
            force=force,
            skip_invalid=skip_invalid,
            mapping=columns,
        )

    if columns:  # a saved mapping's columns by header; the page's choices win
        mapping = {**columns, **(mapping or {})}
    result = attempt(mapping)
    if (
        result.rows_total == 0
        and result.columns
        and not any(c.key == "name" for c in result.columns)
    ):
        # No 名称 column: a header that names something is tried as the name, and
        # the page opens on the column assignment to confirm it (never 0 rows read).
        guess = next(
            (
                c
                for c in result.columns
                if c.status == "unknown" and _NAME_LIKE.search(parsers.nfkc(c.header))
            ),
            None,
        )
        if guess is not None:
            retried = attempt({**(mapping or {}), guess.index: "name"})
            retried.guessed = guess.header
            retried.warnings.insert(
                0,
                Problem(
                    None,
                    guess.header,
                    "名称の列が見つからないため、この列を名称として読みました。"
                    "違うときは「列の割り当て」で選んでください。",
                ),
            )
            return retried
    return result


def resources_import_path(path: str | Path, **kwargs) -> SheetResult:
    """``resources_import`` of a file on disk (size checked before reading)."""
    return sheet_import_path(resources_import, path, **kwargs)


RESOURCE_SHEET = SheetKind(
    slug="resources",
    title=_("表計算ファイルの取込"),
    what=_("地域資源の一覧"),
    columns=COLUMN_REGISTRY,
    run=resources_import,
    pages="dataio:import",
    code_header=_("資源コード"),
    name_header=_("名称"),
    done_note=_("変更は地域資源ごとの履歴に「表計算ファイルの取込」として残ります。"),
    done_links=(DoneLink(_("更新が新しい順に地域資源を見る"), "resources:search", "sort=updated"),),
    preview_include="resources/import_decisions.html",
    preview_context=preview_context,
    preview_post=preview_post,
)
