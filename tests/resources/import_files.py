"""Spreadsheets for the import tests, built the way offices make them."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

DATA = Path(__file__).resolve().parents[1] / "data"
WAM_OSAKA = DATA / "wam_grouphome_osaka_2022-08_cp932.csv"
WAM_NATIONAL = DATA / "wam_grouphome_national_2022-08_cp932.csv"
PREF_LIST = DATA / "grouphome_osaka_pref_list.csv"
TOKYO = DATA / "tokyo_public_facilities_subset.csv"

SALON_HEADER = [
    "No.",
    "団体名",
    "ﾌﾘｶﾞﾅ",
    "活動内容の分類",
    "会場住所",
    "圏域",
    "開催日",
    "参加費",
    "区分",
    "開始日",
    "定員",
    "代表者",
]
SALON_ROWS = [
    [
        1,
        "梅田ふれあいｻﾛﾝ",
        "ｳﾒﾀﾞﾌﾚｱｲｻﾛﾝ",
        "交流、運動",
        "大阪市北区梅田１丁目２－３",
        "北区 第1圏域",
        "第1・3水曜 13:30～15:00",
        "１００円（お茶代）",
        "新規立ち上げ",
        "平成30年3月",
        "２０",
        "山田 花子",
    ],
    [
        2,
        "中崎いきいき百歳体操",
        "",
        "運動",
        "大阪市北区中崎西２丁目",
        "第2圏域",
        "毎週火曜　１０：００〜１１：００",
        "無料",
        "既存資源の拡充",
        "令和4年度",
        None,
        "",
    ],
    [
        3,
        "港区おしゃべりカフェ",
        "みなとくおしゃべりかふぇ",
        "交流",
        "大阪市港区築港１丁目",
        "港区",
        "毎月15日",
        "実費",
        "既存",
        "H31.4.1",
        "15",
        "",
    ],
]


def csv_bytes(rows: list[list], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def salon_rows(header=None, rows=None) -> list[list]:
    return [list(header or SALON_HEADER), *[list(r) for r in (rows or SALON_ROWS)]]


def salon_workbook(rows: list[list] | None = None, *, formula: bool = False) -> bytes:
    """The ward's サロン list: a title row, a blank row, the header, data with a
    blank row in the middle, and a note below."""
    book = Workbook()
    sheet = book.active
    sheet.title = "サロン一覧"
    sheet.append(["令和4年度 北区 通いの場一覧"])
    sheet.append([])
    data = rows or salon_rows()
    sheet.append(data[0])
    for index, row in enumerate(data[1:]):
        sheet.append(row)
        if index == 0:
            sheet.append([None] * len(row))
    if formula:
        sheet.append([4, '=HYPERLINK("http://evil.example/","クリック")', "", "", "", "", "不定期"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """An .xlsx-looking zip whose one sheet unpacks to 30 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(30):
                sheet.write(b"0" * (1024 * 1024))
    return buffer.getvalue()
