"""Public resources written in the layouts others read (../shared/data/layouts.md).

- ``kayoinoba_csv``: 厚生労働省 通いの場のオープンデータ, its 38 columns, so that the
  city hands its 通いの場 on as the ministry collects them (運営日 start and end per
  kind of day from the weekly rules; what they cannot say is in その他);
- ``jichitai_csv``: 自治体標準オープンデータセット（正式版） shared blocks (head,
  address, position, contact) and the 公共施設一覧 / 介護サービス事業所一覧 columns.

Public resources and public fields only (``Reader.PUBLIC``, as ``/opendata/``);
both are read back by the import, which recognises them by their headers.
"""

from __future__ import annotations

from portal.municipality import city
from portal.roles import Reader
from resources.exporting import (
    _katakana,
    _names,
    csv_bytes,
    export_queryset,
    opendata_resources,
)
from resources.presenter import resource_fields

KAYOINOBA_HEADERS = [
    "No",
    "都道府県コード",
    "都道府県名",
    "市区町村コード",
    "市区町村名",
    "備考",
    "名称（ふりがな）",
    "名称",
    "郵便番号",
    "所在地（都道府県から番地まで）",
    "所在地（建物名・部屋番号等）",
    "電話番号",
    "対象者",
    "活動内容",
    "運営日（平日）－開始",
    "運営日（平日）－終了",
    "運営日（土曜）－開始",
    "運営日（土曜）－終了",
    "運営日（日曜）－開始",
    "運営日（日曜）－終了",
    "運営日（祝日）－開始",
    "運営日（祝日）－終了",
    "定休日",
    "定員",
    "料金体系",
    "飲食の提供の有無",
    "飲食持ち込みの可否",
    "送迎の有無",
    "対象エリア",
    "総合事業実施の有無",
    "その他",
    "法人番号の有無",
    "法人番号",
    "法人名称（ふりがな）",
    "法人名称",
    "ステータス",
    "緯度",
    "経度",
]

JICHITAI_HEADERS = [
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "名称",
    "名称_カナ",
    "名称_英字",
    "所在地_全国地方公共団体コード",
    "町字ID",
    "所在地_連結表記",
    "所在地_都道府県",
    "所在地_市区町村",
    "所在地_町字",
    "所在地_番地以下",
    "建物名等(方書)",
    "緯度",
    "経度",
    "電話番号",
    "内線番号",
    "連絡先メールアドレス",
    "連絡先FormURL",
    "連絡先備考（その他、SNSなど）",
    "郵便番号",
    "実施サービス",
    "法人の名称",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "利用可能日時特記事項",
    "定員",
    "料金",
    "対象者",
    "説明",
    "URL",
    "備考",
]

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")


def _clock(value) -> str:
    return value.strftime("%H:%M") if value else ""


def _hours(rules, days: tuple[str, ...]) -> tuple[str, str]:
    """Start and end of the first weekly rule held on any of ``days``."""
    for rule in rules:
        if rule.kind == "weekly" and set(rule.weekday_list) & set(days):
            return _clock(rule.opens_at), _clock(rule.closes_at)
    return "", ""


def _only_weekly(rules) -> bool:
    return bool(rules) and all(rule.kind == "weekly" and not rule.note for rule in rules)


def _rows(values):
    resources = export_queryset(opendata_resources(), Reader.PUBLIC)
    for number, resource in enumerate(resources.iterator(chunk_size=1000), start=1):
        yield values(number, resource_fields(resource, Reader.PUBLIC))


def kayoinoba_csv() -> bytes:
    current = city()

    def values(number: int, view) -> list:
        rules = view["schedules"]
        weekday, saturday, sunday = (
            _hours(rules, _WEEKDAYS),
            _hours(rules, ("SA",)),
            _hours(rules, ("SU",)),
        )
        pickup = any(f.code == "pickup" for f in view["features"])
        row = {
            "No": number,
            "都道府県コード": current.code[:2],
            "都道府県名": current.prefecture,
            "市区町村コード": current.code,
            "市区町村名": current.name,
            "名称（ふりがな）": view["kana"],
            "名称": view["name"],
            "郵便番号": view["postal_code"],
            "所在地（都道府県から番地まで）": view["address"],
            "所在地（建物名・部屋番号等）": view["venue"],
            "電話番号": view["contact_phone"],
            "対象者": _names(view["targets"]),
            "活動内容": view["description"],
            "運営日（平日）－開始": weekday[0],
            "運営日（平日）－終了": weekday[1],
            "運営日（土曜）－開始": saturday[0],
            "運営日（土曜）－終了": saturday[1],
            "運営日（日曜）－開始": sunday[0],
            "運営日（日曜）－終了": sunday[1],
            "定員": view["capacity"],
            "料金体系": view["fee_text"],
            "送迎の有無": "有" if pickup else "",
            "対象エリア": view["area_label"],
            # 第2・4水曜, 毎月15日 … are coarser in 運営日: said in words here.
            "その他": "" if _only_weekly(rules) else view["schedule_text"],
            "法人名称": view["organiser"],
            "ステータス": view["status_label"],
            "緯度": view["lat"],
            "経度": view["lng"],
        }
        return [row.get(h, "") for h in KAYOINOBA_HEADERS]

    return csv_bytes(list(KAYOINOBA_HEADERS), _rows(values))


def jichitai_csv() -> bytes:
    current = city()

    def values(number: int, view) -> list:
        rules = view["schedules"]
        first = rules[0] if rules else None
        days = "".join(
            label
            for code, label in zip(
                ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), "月火水木金土日", strict=True
            )
            if any(code in r.weekday_list for r in rules if r.kind == "weekly")
        )
        row = {
            "全国地方公共団体コード": current.code,
            "ID": view["code"],
            "地方公共団体名": current.name,
            "名称": view["name"],
            "名称_カナ": _katakana(view["kana"]),
            "所在地_全国地方公共団体コード": current.code,
            "所在地_連結表記": view["address"],
            "所在地_都道府県": current.prefecture,
            "所在地_市区町村": current.name,
            "建物名等(方書)": view["venue"],
            "緯度": view["lat"],
            "経度": view["lng"],
            "電話番号": view["contact_phone"],
            "連絡先メールアドレス": view["contact_email"],
            "郵便番号": view["postal_code"],
            "実施サービス": view["type_label"],
            "法人の名称": view["organiser"],
            "利用可能曜日": days,
            "開始時間": _clock(first.opens_at) if first else "",
            "終了時間": _clock(first.closes_at) if first else "",
            "利用可能日時特記事項": view["schedule_text"],
            "定員": view["capacity"],
            "料金": view["fee_text"],
            "対象者": _names(view["targets"]),
            "説明": view["description"],
            "URL": view["url"],
        }
        return [row.get(h, "") for h in JICHITAI_HEADERS]

    return csv_bytes(list(JICHITAI_HEADERS), _rows(values))
