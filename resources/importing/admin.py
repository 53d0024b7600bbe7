"""django-import-export (the admin's 取込・書き出し buttons) on the same importer.

The admin hands the uploaded file to ``resources_import`` unchanged (one place
parses spreadsheets), and shows its outcome in import-export's preview: rows by
action, problems as invalid rows with their row number and column.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields as ie_fields
from import_export import resources as ie_resources
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.results import Error, Result, RowResult

from portal.roles import can_see_staff_only, is_city_staff
from portal.sheets import SheetFileError, SheetResult
from resources.importing.columns import COLUMNS
from resources.importing.sheet import resources_import
from resources.models import Resource
from resources.policy import resources_visible_to


class SpreadsheetFormat(base_formats.Format):
    """Any file ``read_table`` reads (CSV in UTF-8 or cp932, XLSX, ODS), kept as bytes."""

    def __init__(self, encoding=None):
        self.encoding = encoding  # the bytes are decoded by portal.files, not here

    def get_title(self):
        return "CSV・Excel（.xlsx）・ODS"

    def create_dataset(self, in_stream):
        import tablib

        data = in_stream if isinstance(in_stream, bytes) else bytes(in_stream, "utf-8")
        dataset = tablib.Dataset(headers=["ファイル"])
        dataset.append([f"{len(data):,} バイト"])
        dataset.portal_bytes = data
        return dataset

    def get_extension(self):
        return "csv"

    def can_import(self):
        return True


class ResourceImportExportResource(ie_resources.ModelResource):
    """import-export's view of resources: parsing and columns are this module's."""

    class Meta:
        model = Resource
        fields = ()
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = kwargs.get("user")
        self.fields = {
            column.key: ie_fields.Field(attribute=None, column_name=column.header)
            for column in COLUMNS
            if column.export
        }

    def get_user_visible_fields(self):
        return [self.fields[key] for key in self.fields]

    def get_export_order(self):
        return tuple(self.fields)

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        data = getattr(dataset, "portal_bytes", None)
        if data is None:
            data = dataset.export("csv").encode("utf-8")
        user = kwargs.get("user") or self.user
        report = resources_import(
            data, filename=kwargs.get("file_name") or "", user=user, dry_run=dry_run
        )
        return _as_import_export_result(report)

    def export(self, queryset=None, **kwargs):
        import tablib

        from resources import exporting

        user = self.user
        queryset = Resource.objects.all() if queryset is None else queryset
        visible = queryset.filter(pk__in=resources_visible_to(user).values("pk"))
        wanted = kwargs.get("export_fields")
        columns = exporting.chosen_columns(wanted, user) if wanted else exporting.columns_for(user)
        dataset = tablib.Dataset(headers=[c.header for c in columns])
        for row in exporting.export_rows(visible, columns, user=user):
            dataset.append([exporting.csv_cell(value) for value in row])
        return dataset


def _as_import_export_result(report: SheetResult) -> Result:
    result = Result()
    result.diff_headers = ["行", "資源コード", "名称", "内容"]
    result.total_rows = report.rows_total
    by_row: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for problem in report.errors:
        if problem.row:
            by_row[problem.row][problem.column or NON_FIELD_ERRORS].append(problem.message)
        else:
            where = f"「{problem.column}」: " if problem.column else ""
            result.append_base_error(Error(SheetFileError(where + problem.message)))
    for number in sorted(by_row):
        result.append_invalid_row(number, {}, ValidationError(dict(by_row[number])))
    if report.needs_confirmation and not report.written:
        result.append_base_error(
            Error(
                SheetFileError(
                    report.confirmation
                    + " 管理画面からは取り込めません。スタッフの取込ページで確認するか、"
                    "import_resources --force を使ってください。"
                )
            )
        )
    types = {"new": RowResult.IMPORT_TYPE_NEW, "updated": RowResult.IMPORT_TYPE_UPDATE}
    for outcome in report.outcomes:
        row = RowResult()
        row.import_type = types.get(outcome.action, RowResult.IMPORT_TYPE_SKIP)
        row.object_repr = f"{outcome.code} {outcome.name}"
        label = {"new": "新規", "updated": "更新: " + "、".join(outcome.changes)}.get(
            outcome.action, "変更なし"
        )
        row.diff = [str(outcome.row), outcome.code, outcome.name, label]
        result.append_row_result(row)
        result.increment_row_result_total(row)
    return result


class ResourceImportExportAdminMixin(ImportExportMixin):
    """The admin's import and export buttons for resources.

    Import for admins and city staff (as the staff import page); export for
    everyone who may see staff-only data, of the resources the admin lists.
    """

    resource_classes = [ResourceImportExportResource]
    import_formats = [SpreadsheetFormat]
    export_formats = [base_formats.XLSX, base_formats.CSV]
    to_encoding = "utf-8-sig"
    import_error_display = ("message",)
    # Imports are recorded in each resource's history (simple_history), with the user.
    skip_admin_log = True

    def has_import_permission(self, request):
        return is_city_staff(request.user)

    def has_export_permission(self, request):
        return can_see_staff_only(request.user)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}
