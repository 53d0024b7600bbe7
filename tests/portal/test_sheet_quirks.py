"""Files that used to fool the sheet reader (issue 12, item 7): bounded by what
they hold, refused with the row, in Japanese without technical words."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from portal.sheets import SheetFileError, lay_out, read_table
from tests.portal.test_sheets_reading import COLUMNS, refused, xlsx

# English or technical words no refusal may carry.
TECHNICAL = re.compile(r"[A-Za-z]{3,}Error|field limit|Traceback|line contains|unexpected end")


def no_technical_words(message: str) -> str:
    assert not TECHNICAL.search(message), message
    return message


def huge_dimension_xlsx() -> bytes:
    """A real two-row workbook whose sheet declares A1:XFD100000 and holds an
    empty row 100000 (a few bytes: the whole file stays small)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(("一覧", [["名称", "日付"], ["サロン", "2024/4/1"]]))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = re.sub(
                    rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD100000"/>', body
                )
                body = body.replace(b"</sheetData>", b'<row r="100000"/></sheetData>', 1)
            target.writestr(info, body)
    return out.getvalue()


def test_a_huge_declared_dimension_reads_only_what_is_there():
    data = huge_dimension_xlsx()
    assert len(data) < 8_000
    started = time.perf_counter()
    table = read_table(data, "list.xlsx", columns=COLUMNS)
    assert time.perf_counter() - started < 5  # about 1 s; padded, it took minutes
    filled = [cells for _n, cells in table.rows if cells]
    assert filled == [["名称", "日付"], ["サロン", "2024/4/1"]]


def test_an_unclosed_quote_is_refused_with_its_row():
    data = '名称,日付\r\nサロン,2024/4/1\r\n"体操教室,2024/5/1\r\nカフェ,2024/6/1\r\n'.encode()
    message = no_technical_words(refused(data))
    assert "3行目" in message and "引用符" in message


def test_a_cell_over_the_csv_field_limit_is_said_in_japanese():
    data = ('名称,日付\r\n"' + "あ" * 200_000 + '",2024/4/1\r\n').encode()
    message = no_technical_words(refused(data))
    assert "長すぎます" in message


@pytest.mark.parametrize(
    "data, words",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "画像"),
    ],
)
def test_a_pdf_or_an_image_named_csv_is_named_for_what_it_is(data, words):
    message = no_technical_words(refused(data, "名簿.csv"))
    assert words in message and "CSV" in message


def test_a_damaged_workbook_is_refused_without_the_exception_name():
    data = xlsx(("一覧", [["名称"]]))
    broken = data[:200] + b"\x00" * 50 + data[250:]
    with pytest.raises(SheetFileError) as caught:
        read_table(broken, "list.xlsx")
    no_technical_words(str(caught.value.problem))


def test_one_row_more_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 100
    rows = "".join(f"サロン{n},2024/4/1\r\n" for n in range(101))
    table = read_table(("タイトル\r\n名称,日付\r\n" + rows).encode(), "list.csv")
    with pytest.raises(SheetFileError) as caught:
        lay_out(table, COLUMNS)
    assert "100 行まで" in str(caught.value.problem)
    exactly = "".join(f"サロン{n},2024/4/1\r\n" for n in range(100))
    lay_out(read_table(("名称,日付\r\n" + exactly).encode(), "list.csv"), COLUMNS)
