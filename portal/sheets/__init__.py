"""The sheet engine: one way to read, check, preview and import a spreadsheet.

Every import of the site — resources, coordinators' past activity, council
records — runs on it; the apps keep only their columns and what a row means.

- ``reading``: a CSV (UTF-8, UTF-8 BOM or cp932), XLSX or ODS file into rows of
  cells, with the size, zip-bomb, row, column and cell limits;
- ``columns``: a kind's column registry (``Columns`` of ``SheetColumn``), the
  header row found under title rows, each column mapped to a key (``lay_out``);
- ``problems`` and ``results``: a problem names its row and column in Japanese;
  a result counts new / updated / unchanged rows;
- ``runner``: ``sheet_import`` runs a kind's rows all or nothing — a dry run
  and any problem roll everything back;
- ``kinds``, ``views``, ``uploads``: the kinds the apps register in their
  ``AppConfig.ready()``, and the shared upload → preview → confirm pages
  (templates ``portal/sheets/*.html``) with the file waiting in private storage;
- ``commands``: the base of the ``import_*`` management commands.

``portal`` imports no app: the apps import this package and register with it.
"""

from __future__ import annotations

from portal.sheets.columns import (
    ColumnMapping,
    Columns,
    Sheet,
    SheetColumn,
    SheetRow,
    area_lookup,
    lay_out,
)
from portal.sheets.kinds import DoneLink, SheetKind, sheet_kind, sheet_kind_register, sheet_kinds
from portal.sheets.problems import (
    MB,
    Problem,
    RowErrors,
    SheetFileError,
    problems_text,
)
from portal.sheets.reading import (
    HEADER_SCAN_ROWS,
    Table,
    cell_text,
    is_blank,
    max_upload_bytes,
    read_path,
    read_table,
)
from portal.sheets.results import RowOutcome, SheetResult
from portal.sheets.runner import (
    SheetRun,
    all_or_nothing,
    sheet_import,
    sheet_import_path,
    short_hash,
    validation_problems,
)

__all__ = [
    "HEADER_SCAN_ROWS",
    "MB",
    "ColumnMapping",
    "Columns",
    "DoneLink",
    "Problem",
    "RowErrors",
    "RowOutcome",
    "Sheet",
    "SheetColumn",
    "SheetFileError",
    "SheetKind",
    "SheetResult",
    "SheetRow",
    "SheetRun",
    "Table",
    "all_or_nothing",
    "area_lookup",
    "cell_text",
    "is_blank",
    "lay_out",
    "max_upload_bytes",
    "problems_text",
    "read_path",
    "read_table",
    "sheet_import",
    "sheet_import_path",
    "sheet_kind",
    "sheet_kind_register",
    "sheet_kinds",
    "short_hash",
    "validation_problems",
]
