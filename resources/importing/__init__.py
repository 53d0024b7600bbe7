"""Importing resources from the spreadsheets cities keep today.

One library, three front ends: the staff import page (the shared upload →
preview → confirm pages of ``portal.sheets.views``), ``manage.py
import_resources`` and the django-import-export buttons of the admin
(``admin.ResourceImportExportResource`` hands their file to this package). All
of them call ``resources_import``, which runs on the sheet engine
(``portal.sheets``: reading, limits, header detection, the all-or-nothing run).

The package, by job: ``columns`` (the column registry, shared with the
export), ``references`` (categories, areas, users looked up in memory),
``rows`` (one row's cells into model values), ``placing`` (areas and points
in bulk), ``planning`` (new / updated / unchanged, validation), ``writer``
(bulk inserts and updates with history), ``sheet`` (``resources_import`` and
the import kind of the staff pages), ``admin`` (django-import-export) and
``areas`` (``import_areas``: GeoJSON boundaries). For the files cities bring
(issue 13, README "Importing real spreadsheets"): ``layouts`` (public layouts
recognised by their headers, service names as types), ``values`` (unknown values
and their decisions), ``outside`` (rows of other municipalities), ``extras``
(cells as real files write them), ``duplicates`` (rows like a registered
resource), ``report`` (what the preview says about the whole file), ``profiles``
(mapping files, saved mappings, ``--json``) and ``page`` (the preview's decisions).

What a file may look like (DESIGN.md, ../shared/data/legacy):

- CSV in UTF-8, UTF-8 with BOM or cp932, comma or tab separated; XLSX (ODS
  too) with title rows above the header and blank rows (``portal.sheets``);
- Japanese headers with synonyms (``COLUMNS``); the header row is the first of
  the top 30 rows with at least two known headers, one of them the name;
- values read by ``portal.parsers``: 和暦, full-width digits, half-width kana,
  曜日 text, fees, names of categories, types and areas with synonyms and codes.

Guarantees:

- All or nothing: every row is parsed and validated (``full_clean``) before
  anything is written, inside one transaction; one invalid row writes nothing
  (``skip_invalid`` writes the valid rows and reports the rest).
- Idempotent by the resource code: a row whose values equal the stored ones is
  "unchanged" and writes nothing, not even a history entry; a changed row is
  updated and recorded in django-simple-history with the importing user.
  Columns missing from the file leave the stored values alone; an empty cell in
  a present column clears the value.
- A row without a code gets ``IMP-`` + a hash of its name and address, so the
  same file imported twice still finds its rows.
- Duplicate codes and identical rows inside a file are errors; a file that
  would change more than half of the registry asks for confirmation
  (``force``).
- Formulas are never evaluated: cells are read raw and ``=SUM(A1)`` is text.
  The apostrophe the export puts before =, +, - and @ is taken off again.
- Nothing is ever deleted: a resource missing from the file is left alone, so
  no file can empty the registry (ending resources en masse is a mass change).
- Fast: categories, areas, users and the existing rows are loaded once; areas
  are assigned in memory with ``portal.geo.locator()`` (``placing.Placer``, the rules
  of ``resource_prepare``, tested equal); rows and their history entries are
  written in bulk — executemany on SQLite, COPY on PostgreSQL, the history as
  ``bulk_create_with_history`` would write it (with the categories' m2m
  history). ``bulk_create`` itself was most of the time of a 10,000-row import.
  ``import_bench_figures`` measures it.

Decisions where the issue left room:

- Rows of the WAM NET file (共同生活援助 = 障害福祉サービスのグループホーム)
  become type その他: they are not 介護保険事業所. Their code is WAM NET's
  ``NO`` (unique); 事業所番号 repeats for the several homes of one 事業所.
- No type column, or an empty cell: the type is guessed from the name
  (サロン, 体操, 認知症カフェ …), else その他.
- 備考 goes to 内部メモ（関係者限定）: free notes in office lists often hold
  personal data, so they are never published by default.
- A point outside every area is still given the nearest area (as
  ``resource_prepare`` does) with a warning naming the row — unless it is over
  ``IMPORT_OUTSIDE_KM`` from every area and its address does not name the city:
  then the row is outside the city.
- New rows are 関係者限定 unless the file has a 公開範囲 column or ``publish``.
- Coordinates swapped in the file are swapped back with a warning (Japan's
  latitudes and longitudes do not overlap), rather than refusing the row.
- A schedule the parser cannot read is kept as written, as the note of an
  irregular rule, with a warning; a date or time that does not exist is still an
  error.
- The area column wins over the address: when it differs from the area the
  address or point gives, the resource's area is set by hand (area_locked).
- A broken web address or e-mail (WAM NET has 21: ``http://three.ai,jp``) is
  dropped with a warning naming the row, instead of holding up the file.
- A legacy ``No.`` column is a row number, not an identifier: it is skipped.
"""

from __future__ import annotations

from portal.sheets import (
    HEADER_SCAN_ROWS,
    MB,
    ColumnMapping,
    Problem,
    RowOutcome,
    Table,
    max_upload_bytes,
    problems_text,
    read_table,
)
from portal.sheets import SheetFileError as ImportFileError
from portal.sheets import SheetResult as ImportResult
from resources.importing.admin import (
    ResourceImportExportAdminMixin,
    ResourceImportExportResource,
    SpreadsheetFormat,
)
from resources.importing.areas import AreaImportResult, areas_import
from resources.importing.columns import (
    COLUMN_BY_KEY,
    COLUMN_REGISTRY,
    COLUMNS,
    IGNORED_HEADERS,
    IMPORTABLE_KEYS,
    Column,
    column_for_header,
)
from resources.importing.rows import derived_code, guess_type
from resources.importing.sheet import RESOURCE_SHEET, resources_import, resources_import_path

__all__ = [
    "COLUMNS",
    "COLUMN_BY_KEY",
    "COLUMN_REGISTRY",
    "HEADER_SCAN_ROWS",
    "IGNORED_HEADERS",
    "IMPORTABLE_KEYS",
    "MB",
    "RESOURCE_SHEET",
    "AreaImportResult",
    "Column",
    "ColumnMapping",
    "ImportFileError",
    "ImportResult",
    "Problem",
    "ResourceImportExportAdminMixin",
    "ResourceImportExportResource",
    "RowOutcome",
    "SpreadsheetFormat",
    "Table",
    "areas_import",
    "column_for_header",
    "derived_code",
    "guess_type",
    "max_upload_bytes",
    "problems_text",
    "read_table",
    "resources_import",
    "resources_import_path",
]
