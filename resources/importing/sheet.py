"""The resource import on the sheet engine: ``resources_import`` and its kind.

``resources_import`` reads the file and lays it out with ``portal.sheets``
(columns of ``columns.COLUMN_REGISTRY``, anchored on 名称), then the
``planning.Importer`` parses and plans every row and writes them at once
(``writer``) when the all-or-nothing run may write.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from portal.sheets import (
    DoneLink,
    Sheet,
    SheetKind,
    SheetResult,
    SheetRun,
    sheet_import,
    sheet_import_path,
)
from resources.importing.columns import COLUMN_REGISTRY
from resources.importing.planning import Importer


def resources_import(
    data: bytes,
    *,
    filename: str = "",
    user=None,
    dry_run: bool = True,
    force: bool = False,
    skip_invalid: bool = False,
    mapping: dict[int | str, str] | None = None,
) -> SheetResult:
    """Read, check and (unless ``dry_run``) write the resources of a spreadsheet.

    ``mapping`` assigns columns (by index from 0, or by header text) to column
    keys, or "" to skip a column, where the headers are not known. ``force``
    writes a mass change (more than half of the registry) without asking;
    ``skip_invalid`` writes the valid rows and reports the others. Never raises
    for a bad file: problems are in ``result.errors``, in Japanese, with their
    row and column.
    """
    reason = f"表計算ファイルの取込（{filename}）" if filename else "表計算ファイルの取込"

    def process(sheet: Sheet, run: SheetRun) -> None:
        Importer(sheet, run.result, user=user, reason=reason[:100]).run(run)

    return sheet_import(
        data,
        columns=COLUMN_REGISTRY,
        process=process,
        result=SheetResult(filename=filename),
        dry_run=dry_run,
        force=force,
        skip_invalid=skip_invalid,
        mapping=mapping,
    )


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
)
