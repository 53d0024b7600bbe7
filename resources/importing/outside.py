"""Rows of another municipality: national files hold all of Japan (layouts.md).

An address is read from its start, anchored on the configured city
(``portal.municipality.city()``): 「大阪府大阪市北区…」, 「大阪市北区…」 and, in a
city with wards, 「北区…」 are the city's; 「北海道札幌市北区…」, 「札幌市北区…」,
「香川県高松市扇町…」 are not, whatever 町丁 follow — so no 町丁 or ward name
inside another city's address is ever matched. A 市区町村名 or 都道府県名 column
says the same. An address that names no municipality (「梅田1丁目」) is the city's.
"""

from __future__ import annotations

import re

from portal import parsers
from portal.municipality import city as current_city

PREFECTURES = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
]
# A municipality named at the start: ○○市, ○○郡, and (after a prefecture) ○○区・町・村.
_CITY_AT_START = re.compile(r"^([^\d\s]{1,6}?(?:市|郡))")
_WARD_AT_START = re.compile(r"^([^\d\s]{1,4}?区)")
_LEADING_NOTE = re.compile(r"^(?:[(（【\[][^)）】\]]*[)）】\]])+")
_ANY_AT_START = re.compile(r"^([^\d\s]{1,8}?(?:市|区|町|村|郡))")


class OutsideCheck:
    """Is a row's address, 市区町村 or 都道府県 another municipality's?"""

    def __init__(self, ward_names: list[str]) -> None:
        city = current_city()
        self.city = parsers.nfkc(city.name).replace(" ", "")
        self.prefecture = parsers.nfkc(city.prefecture).replace(" ", "")
        wards = []
        for name in ward_names:
            name = parsers.nfkc(name).replace(" ", "")
            if self.city and name.startswith(self.city):
                name = name[len(self.city) :]
            if name.endswith("区"):
                wards.append(name)
        self.wards = tuple(wards)
        # 「北区…」 names a ward: another municipality's unless the city has it (a
        # city with wards) — or is a ward itself (東京都港区: 「墨田区…」 is not it).
        self.check_wards = bool(wards) or self.city.endswith("区")

    def names_city(self, address: str = "", municipality: str = "") -> bool:
        """Whether the address or 市区町村 names the city itself (then no distance
        from the areas makes the row another city's)."""
        for text in (municipality, address):
            text = parsers.nfkc(text).replace(" ", "").replace("　", "").strip()
            rest, _prefecture = self._strip_prefecture(text)
            if self.city and rest.startswith(self.city):
                return True
        return False

    def _strip_prefecture(self, text: str) -> tuple[str, str | None]:
        for prefecture in PREFECTURES:
            if text.startswith(prefecture):
                return text[len(prefecture) :], prefecture
        return text, None

    def other_place(self, address: str = "", municipality: str = "", prefecture: str = "") -> str:
        """The other municipality (or prefecture) named, "" when the row is the city's."""
        if not self.city:
            return ""
        prefecture = parsers.nfkc(prefecture).replace(" ", "").strip()
        if prefecture in PREFECTURES and self.prefecture and prefecture != self.prefecture:
            return prefecture
        municipality = parsers.nfkc(municipality).replace(" ", "").replace("　", "").strip()
        if municipality:
            found = self._other(municipality, whole=True)
            if found:
                return found
        address = parsers.nfkc(address).replace(" ", "").replace("　", "").strip()
        address = _LEADING_NOTE.sub("", address)  # 「（大神山公園・大村地区）東京都小笠原…」
        return self._other(address, whole=False) if address else ""

    def _other(self, text: str, *, whole: bool) -> str:
        rest, prefecture = self._strip_prefecture(text)
        if prefecture and self.prefecture and prefecture != self.prefecture:
            return prefecture + (_name_at_start(rest) or "")
        if rest.startswith(self.city) or (self.prefecture and rest == "" and prefecture):
            return ""
        if self.city.startswith(rest) and rest:  # 市区町村名 「大阪」
            return ""
        if self.wards and rest.startswith(self.wards):
            return ""
        if prefecture or whole:
            # After the prefecture (or in a 市区町村 cell) the city must come first.
            return _name_at_start(rest) or rest[:10]
        match = _CITY_AT_START.match(rest)
        if match:
            return match.group(1)
        if self.check_wards:
            match = _WARD_AT_START.match(rest)
            if match:
                return match.group(1)
        return ""


def _name_at_start(text: str) -> str:
    match = _ANY_AT_START.match(text)
    return match.group(1) if match else ""
