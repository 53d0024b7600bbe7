"""portal.sheets.reading: any office's CSV or Excel file into rows of cells, or one
clear Japanese message — before anything large is unpacked."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from portal.sheets import Columns, SheetColumn, SheetFileError, cell_text, read_path, read_table
from tests.resources.import_files import zip_bomb

COLUMNS = Columns(
    [SheetColumn("name", "名称", ("団体名",)), SheetColumn("day", "日付", ("開催日",))],
    anchor="name",
)


def xlsx(*sheets: tuple[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refused(data: bytes, name: str = "list.csv", **kwargs) -> str:
    with pytest.raises(SheetFileError) as caught:
        read_table(data, name, **kwargs)
    return str(caught.value.problem)


# Encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_utf8_with_or_without_bom_and_cp932_read_alike(encoding):
    table = read_table("名称,日付\r\n①髙橋サロン～,令和4年4月1日\r\n".encode(encoding))

    assert table.rows == [(1, ["名称", "日付"]), (2, ["①髙橋サロン～", "令和4年4月1日"])]
    assert table.encoding == ("cp932" if encoding == "cp932" else "utf-8-sig")


def test_cp932_is_read_as_cp932_not_shift_jis():
    # ① 髙 ～ are cp932 (Windows) characters that shift_jis cannot decode.
    data = "①髙～".encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("shift_jis")

    assert read_table(b"x\r\n" + data).rows[1] == (2, ["①髙～"])


def test_bytes_no_japanese_encoding_holds_are_named_by_line():
    assert refused("名称\r\nあおぞら\r\n".encode("cp932") + b"\xfd\xfe").startswith(
        "3行目: 文字コードを判別できません"
    )


def test_a_tab_separated_file_is_split_on_tabs():
    assert read_table("名称\t日付\nあおぞら\t毎週\n".encode()).rows[1] == (2, ["あおぞら", "毎週"])


def test_an_apostrophe_the_export_put_before_a_formula_is_taken_off():
    assert [cell_text(c) for c in ("'=SUM(A1)", "'+81", "'普通", None, 3.0)] == [
        "=SUM(A1)",
        "+81",
        "'普通",
        "",
        "3",
    ]


# Workbooks ----------------------------------------------------------------------------------


def test_the_first_visible_sheet_with_a_header_is_read_and_the_others_named():
    data = xlsx(
        ("表紙", [["令和5年度 サロン一覧"]]),
        ("隠し", [["名称", "日付"], ["隠れた会", "毎週"]]),
        ("一覧", [["No.", "団体名", "開催日"], [1, "あおぞら", "毎週火曜"]]),
        hidden=("隠し",),
    )

    table = read_table(data, "list.xlsx", columns=COLUMNS)

    assert (table.kind, table.sheet) == ("xlsx", "一覧")
    assert table.rows[1] == (2, [1, "あおぞら", "毎週火曜"])
    assert "ほかのシート（表紙）は読みません" in str(table.notes[0])


def test_a_formula_is_kept_as_its_text_with_a_warning():
    table = read_table(xlsx(("一覧", [["名称", "日付"], ['=A1&"会"', "毎週"]])), "a.xlsx")

    assert table.rows[1][1][0] == '=A1&"会"'
    assert '数式「=A1&"会"」は計算せず' in table.notes[0].message


def test_an_ods_spreadsheet_is_read():
    import tablib

    dataset = tablib.Dataset(headers=["名称", "日付"])
    dataset.append(["あおぞら", "毎週"])

    table = read_table(dataset.export("ods"), "list.ods")

    assert table.kind == "ods" and table.rows[1] == (2, ["あおぞら", "毎週"])


# Limits and bad files ----------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    assert "ZIP 爆弾の疑い" in refused(zip_bomb(), "bomb.xlsx")


def test_an_archive_of_too_many_members_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(10_001):
            archive.writestr(f"x/{n}", "")

    assert "ZIP 爆弾の疑い" in refused(buffer.getvalue(), "many.xlsx")


def test_a_file_over_the_upload_limit_is_refused_unread(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024

    assert "ファイルが大きすぎます（0.0 MB）" in refused(b"a" * 2048)


def test_read_path_checks_the_size_before_reading(settings, tmp_path):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    path = tmp_path / "big.csv"
    path.write_bytes(b"a" * 2048)

    with pytest.raises(SheetFileError, match="ファイルが大きすぎます"):
        read_path(path)


def test_too_many_rows_are_refused(settings):
    settings.IMPORT_MAX_ROWS = 10
    data = "\r\n".join(["名称", *[f"会{n}" for n in range(50)]]).encode()

    assert "1回の取込は 10 行までです" in refused(data)


def test_too_many_columns_are_refused_naming_the_row(settings):
    settings.IMPORT_MAX_COLUMNS = 5

    assert refused(b"a,b\r\n" + b",".join([b"x"] * 6)).startswith("2行目: 列が 6 列あります")


def test_too_long_a_cell_is_refused_naming_its_column():
    message = refused(("名称,内容\r\nあおぞら," + "あ" * 20_001).encode())

    assert message.startswith("2行目: 2列目の文字が長すぎます")


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "a.csv", "ファイルが空です"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls", "古い Excel 形式（.xls）"),
        (b"name\r\n", "list.xlsx", "中身が Excel・表計算のファイルではありません"),
        (b"PK\x03\x04broken", "list.xlsx", "ZIP 形式として開けません"),
        (b'"unclosed\r\n' + b"x" * 200_000, "list.csv", '引用符（"）の閉じ忘れ'),
        (b"a\x00b\r\n", "list.csv", "CSV ではありません"),
    ],
)
def test_files_that_are_not_sheets_get_one_clear_message(data, name, words):
    assert words in refused(data, name)
