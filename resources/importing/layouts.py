"""Public layouts a city brings, recognised by their headers (../shared/data/layouts.md).

Their columns are read through the ordinary synonyms of ``columns.COLUMNS``; a
layout adds its name (the preview and ``--json`` say which one was recognised)
and what its coded values mean: the 介護保険 service names of 実施サービス /
サービスの種類 (→ 種別 介護保険事業所, the service kept in 内容), 障害福祉 services
(→ その他), 送迎の有無, and 運営日 start/end per kind of day (→ schedule rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal import parsers
from resources.models import Resource


@dataclass(frozen=True)
class Layout:
    slug: str
    name: str  # as the publisher names it
    required: tuple[str, ...]  # headers that must all be there (name_key compared)
    any_of: tuple[str, ...] = ()  # at least one of these too


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        "mhlw_kayoinoba",
        "厚生労働省 通いの場のオープンデータ",
        ("名称（ふりがな）", "名称", "運営日（平日）－開始", "送迎の有無"),
    ),
    Layout(
        "kaigo_kohyo",
        "厚生労働省 介護サービス情報公表システム オープンデータ",
        ("事業所名", "サービスの種類", "事業所番号"),
        ("方書（ビル名等）", "事業所名カナ"),
    ),
    Layout(
        "jichitai_kaigo",
        "自治体標準オープンデータセット 介護サービス事業所一覧（正式版）",
        ("介護サービス事業所名称", "所在地_連結表記"),
    ),
    Layout(
        "suisho_kaigo",
        "推奨データセット 介護サービス事業所一覧",
        ("介護サービス事業所名称", "実施サービス", "住所"),
    ),
    Layout(
        "jichitai_facility",
        "自治体標準オープンデータセット 公共施設一覧（正式版）",
        ("名称", "所在地_連結表記"),
        ("名称_カナ", "名称_英字"),
    ),
    Layout(
        "suisho_facility",
        "推奨データセット 公共施設一覧",
        ("名称", "住所", "利用可能曜日"),
        ("POIコード", "名称_通称", "名称_カナ"),
    ),
    Layout(
        "wam_shogai",
        "WAM NET 障害福祉サービス等情報",
        ("事業所の名称", "サービス種別", "事業所住所（市区町村）"),
    ),
    Layout(
        "heat_shelter",
        "指定暑熱避難施設一覧",
        ("指定暑熱避難施設の名称",),
    ),
)


def recognise(headers: list[str]) -> Layout | None:
    """The layout whose headers the file has (the most specific first)."""
    present = {parsers.name_key(h) for h in headers if h}
    for layout in LAYOUTS:
        if all(parsers.name_key(h) in present for h in layout.required) and (
            not layout.any_of or any(parsers.name_key(h) in present for h in layout.any_of)
        ):
            return layout
    return None


# 介護保険のサービス (介護保険法 第8条・第8条の2 and the 情報公表 files' names).
CARE_SERVICES = (
    "訪問介護",
    "訪問入浴介護",
    "訪問看護",
    "訪問リハビリテーション",
    "居宅療養管理指導",
    "通所介護",
    "地域密着型通所介護",
    "療養通所介護",
    "通所リハビリテーション",
    "短期入所生活介護",
    "短期入所療養介護",
    "特定施設入居者生活介護",
    "福祉用具貸与",
    "特定福祉用具販売",
    "居宅介護支援",
    "介護予防支援",
    "定期巡回・随時対応型訪問介護看護",
    "夜間対応型訪問介護",
    "認知症対応型通所介護",
    "小規模多機能型居宅介護",
    "看護小規模多機能型居宅介護",
    "複合型サービス",
    "認知症対応型共同生活介護",
    "地域密着型特定施設入居者生活介護",
    "地域密着型介護老人福祉施設入所者生活介護",
    "介護老人福祉施設",
    "介護老人保健施設",
    "介護医療院",
    "介護療養型医療施設",
    "特別養護老人ホーム",
    "老人保健施設",
    "デイサービス",
    "デイケア",
    "ショートステイ",
    "グループホーム（認知症）",
    "有料老人ホーム",
    "サービス付き高齢者向け住宅",
)
# 障害福祉サービス and other welfare services: not 介護保険, so その他.
OTHER_SERVICES = (
    "共同生活援助",
    "放課後等デイサービス",
    "児童発達支援",
    "生活介護",
    "就労継続支援",
    "就労継続支援A型",
    "就労継続支援B型",
    "就労移行支援",
    "短期入所",
    "居宅介護",
    "重度訪問介護",
    "同行援護",
    "行動援護",
    "施設入所支援",
    "自立訓練",
    "障害者支援施設",
    "保育所",
    "認定こども園",
    "幼稚園",
)
_SERVICE_TYPES: dict[str, str] = {}
for _name in CARE_SERVICES:
    _SERVICE_TYPES[parsers.name_key(_name)] = Resource.Type.CARE_OFFICE.value
for _name in OTHER_SERVICES:
    _SERVICE_TYPES[parsers.name_key(_name)] = Resource.Type.OTHER.value


# Words that tell a service's kind when its exact name is not in the lists above.
_CARE_WORDS = (
    "介護",
    "老人ホーム",
    "高齢者向け住宅",
    "通所型サービス",
    "訪問型サービス",
    "リハビリ",
)
_OTHER_WORDS = (
    "保育",
    "児童",
    "学校",
    "幼稚園",
    "こども園",
    "子育て",
    "病院",
    "診療所",
    "障害",
    "就労",
    "地域活動支援",
    "養護",
)
_PARTS = re.compile(r"[\n、,，/／・\u3000 ]+")


def service_type(service: str) -> str | None:
    """The resource type of a service name (通所介護 → 介護保険事業所), None if unknown.

    A cell naming several services (「介護老人福祉施設\n短期入所生活介護」) is a
    介護保険事業所 when one of them is; a name that only contains a known service or a
    telling word (住宅型有料老人ホーム, 小規模保育事業所) counts too.
    """
    parts = [p for p in _PARTS.split(parsers.nfkc(service)) if p] or [service]
    found = [_one_service(p) for p in parts]
    if Resource.Type.CARE_OFFICE.value in found:
        return Resource.Type.CARE_OFFICE.value
    return next((f for f in found if f), None)


def _one_service(service: str) -> str | None:
    key = parsers.name_key(service)
    if not key:
        return None
    if key in _SERVICE_TYPES:
        return _SERVICE_TYPES[key]
    best = None
    for known, rtype in _SERVICE_TYPES.items():
        if len(known) >= 4 and known in key and (best is None or len(known) > best[0]):
            best = (len(known), rtype)
    if best:
        return best[1]
    if any(word in service for word in _CARE_WORDS):
        return Resource.Type.CARE_OFFICE.value
    if any(word in service for word in _OTHER_WORDS):
        return Resource.Type.OTHER.value
    return None
