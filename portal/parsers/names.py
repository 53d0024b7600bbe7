"""Names from fixed lists with their synonyms: categories, types, statuses, areas.

Part of ``portal.parsers`` (read the package's docstring); import from there.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation

from portal import text as keys
from portal.parsers.cells import ParseError, text

# Names with synonyms ----------------------------------------------------------


def code_key(value: object) -> str:
    """``portal.text.code_key`` of any cell (a number such as 27127.0 as its text)."""
    return keys.code_key(value if type(value) is str else text(value))


def name_key(value: object) -> str:
    """``portal.text.name_key`` of any cell: the form names and headers are compared in."""
    return keys.name_key(value if type(value) is str else text(value))


class Lookup:
    """Values by name, code or synonym, compared in ``name_key`` form.

    A key claimed by two different values is ambiguous and raises when used,
    rather than picking one.
    """

    def __init__(self, label: str, examples: Iterable[str] = (), *, key=None) -> None:
        self.label = label
        self.examples = list(examples)
        self._key = key or name_key
        self._values: dict[str, object] = {}
        self._ambiguous: set[str] = set()

    def add(self, value: object, *names: object) -> None:
        for name in names:
            key = self._key(name)
            if not key:
                continue
            if key in self._values and self._values[key] != value:
                self._ambiguous.add(key)
            else:
                self._values[key] = value

    def get(self, name: object, default=None):
        key = self._key(name)
        if key in self._ambiguous:
            return default
        return self._values.get(key, default)

    def __contains__(self, name: object) -> bool:
        return self.get(name) is not None

    def resolve(self, name: object):
        key = self._key(name)
        if key in self._ambiguous:
            raise ParseError(
                f"{self.label}「{text(name)}」は複数に当てはまります。コードで指定してください。",
                code="ambiguous",
            )
        try:
            return self._values[key]
        except KeyError:
            hint = f"（例: {'、'.join(self.examples[:6])}）" if self.examples else ""
            raise ParseError(
                f"{self.label}「{text(name)}」はありません{hint}。", code="unknown"
            ) from None


# Synonyms of the fixed lists, by code. The labels and codes themselves are
# always accepted; these are the other ways legacy lists write them.
TYPE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "salon": (
        "サロン",
        "ふれあいサロン",
        "いきいきサロン",
        "地域サロン",
        "通いの場",
        "居場所",
        "集いの場",
    ),
    "exercise": ("体操", "いきいき百歳体操", "百歳体操", "介護予防教室", "運動教室", "体操の会"),
    "dementia_cafe": ("オレンジカフェ", "認知症カフェ", "カフェ"),
    "hobby": (
        "趣味",
        "趣味の会",
        "学習",
        "交流の会",
        "サークル",
        "趣味・学習の会",
        "趣味・交流の会",
    ),
    "life_support": (
        "生活支援",
        "買い物支援",
        "家事支援",
        "外出支援",
        "移動支援",
        "住民参加型サービス",
        "有償ボランティア",
        "ゴミ出し支援",
    ),
    "meals": ("配食", "配食サービス", "会食", "食事サービス"),
    "watch": ("見守り", "見守り活動", "安否確認", "声かけ訪問"),
    # 介護保険のサービス (通所介護, 訪問介護 …) are 介護保険事業所.
    "care_office": (
        "介護保険事業所",
        "介護事業所",
        "介護サービス事業所",
        "通所介護",
        "地域密着型通所介護",
        "デイサービス",
        "訪問介護",
        "訪問看護",
        "居宅介護支援",
        "小規模多機能型居宅介護",
        "認知症対応型共同生活介護",
        "短期入所生活介護",
        "通所リハビリテーション",
        "介護老人福祉施設",
        "特別養護老人ホーム",
        "介護老人保健施設",
    ),
    "consultation": (
        "相談",
        "相談窓口",
        "地域包括支援センター",
        "包括支援センター",
        "ブランチ",
        "総合相談",
    ),
    # 障害福祉サービス (WAM NET's 共同生活援助 = グループホーム) are not 介護保険: その他.
    "other": ("共同生活援助", "障害福祉サービス", "障害福祉", "就労継続支援", "生活介護"),
}

CATEGORY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "work": ("仕事", "就労的活動", "就労支援"),
    "contribution": ("ボランティア", "地域貢献活動", "社会貢献"),
    "hobby": ("趣味活動", "趣味・文化"),
    "exercise": ("体操", "スポーツ", "健康づくり", "介護予防体操", "運動・体操"),
    "learning": ("学び", "学習会", "勉強会", "教養"),
    "social": ("交流の場", "サロン", "居場所", "集い", "茶話会"),
    "shopping": ("買物", "買い物支援", "買物支援", "移動販売"),
    "housework": ("家事支援", "生活援助", "掃除"),
    "outing": ("外出支援", "移動支援", "移送", "送迎"),
    "other": ("その他のサービス",),
}

STATUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "preparing": ("準備中", "立上げ中", "立ち上げ中", "立上支援中", "立上げ準備中"),
    "active": ("活動", "実施中", "開催中", "運営中", "継続"),
    "paused": ("休止", "休会", "休止中", "中断"),
    "ended": ("廃止", "解散", "終了済", "終了済み", "閉鎖"),
}

VISIBILITY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "public": ("公開する", "公開可", "可", "○", "はい"),
    "staff": ("非公開", "関係者のみ", "関係者", "不可", "×", "限定"),
}

ORIGIN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "new": ("新規", "新規立上げ", "新規立上", "新設", "立ち上げ", "立上げ"),
    "expanded": ("拡充", "既存の拡充", "既存資源拡充"),
    "existing": ("既存資源", "既設", "従来"),
}

ORGANISER_KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    "residents": (
        "住民",
        "住民団体",
        "自治会",
        "町会",
        "町内会",
        "地域住民",
        "老人クラブ",
        "ボランティア団体",
    ),
    "npo": ("NPO法人", "特定非営利活動法人"),
    "social_welfare": ("社福", "社会福祉法人"),
    "company": ("株式会社", "有限会社", "合同会社", "民間企業", "企業・事業者", "事業者"),
    "shakyo": ("社協", "地区社協", "区社協", "市社協"),
    "government": ("市", "区", "区役所", "市役所", "自治体"),
    "coop": ("生協", "農協", "JA", "生活協同組合"),
}


def choice_lookup(label: str, choices: Iterable[tuple[str, object]], synonyms: dict) -> Lookup:
    """A Lookup of a TextChoices: code, label and synonyms all lead to the code.

    Sheets are written in Japanese whatever language the pages are in: the labels
    are read in Japanese (``LANGUAGE_CODE``).
    """
    with translation.override(settings.LANGUAGE_CODE):
        names = [(code, str(name)) for code, name in choices]
    lookup = Lookup(label, examples=[name for _code, name in names])
    for code, name in names:
        lookup.add(code, code, name, *synonyms.get(code, ()))
    return lookup
