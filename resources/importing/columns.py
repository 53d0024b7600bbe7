"""The columns of the resource import and export: key, export header, synonyms.

The export writes ``header``; the import reads it and every synonym legacy
files use (WAM NET, 介護サービス情報公表システム, the cities' サロン lists), in
``parsers.name_key`` form. Whether a column is staff-only is not restated here:
it is ``resources.policy.FIELD_TIERS``'s answer for the column's field.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.roles import Reader
from portal.sheets import Columns, SheetColumn
from resources.policy import FIELD_TIERS


@dataclass(frozen=True)
class Column(SheetColumn):
    """One column of the import and export: key, export header, accepted synonyms."""

    export: bool = True  # written by the export (and read back by the import)

    @property
    def tier(self) -> Reader:
        """Who reads the column's field (``resources.policy.FIELD_TIERS``)."""
        return FIELD_TIERS.get(self.key, Reader.PUBLIC)

    @property
    def staff_only(self) -> bool:
        return self.tier > Reader.PUBLIC


# Opening hours per kind of day (通いの場 open data: 運営日（平日）－開始 …; WAM NET:
# 利用可能な時間帯（平日）; 焼津市: 月曜開放開始時刻 …), made into schedule rules.
DAY_KINDS = (
    ("weekday", "平日", ("MO", "TU", "WE", "TH", "FR")),
    ("saturday", "土曜", ("SA",)),
    ("sunday", "日曜", ("SU",)),
    ("holiday", "祝日", ()),
    ("mo", "月曜", ("MO",)),
    ("tu", "火曜", ("TU",)),
    ("we", "水曜", ("WE",)),
    ("th", "木曜", ("TH",)),
    ("fr", "金曜", ("FR",)),
)


def _day_hours_columns() -> tuple[Column, ...]:
    found = []
    for key, label, _days in DAY_KINDS:
        found.append(
            Column(
                f"hours_{key}",
                f"利用可能な時間帯（{label}）",
                (f"運営時間（{label}）", f"{label}の時間"),
                export=False,
            )
        )
        short = label.removesuffix("曜")
        found.append(
            Column(
                f"opens_{key}",
                f"運営日（{label}）－開始",
                (f"{label}開放開始時刻", f"{short}曜日開始時刻", f"{label}開始時刻"),
                export=False,
            )
        )
        found.append(
            Column(
                f"closes_{key}",
                f"運営日（{label}）－終了",
                (f"{label}開放終了時刻", f"{short}曜日終了時刻", f"{label}終了時刻"),
                export=False,
            )
        )
    return tuple(found)


COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "資源コード",
        (
            "コード",
            "資源番号",
            "管理番号",
            "ID",
            "NO（※システム内の固有の番号、連番）",
            "事業所番号",
            "施設番号",
        ),
        help="取込で同じ資源を見分けるコード。空欄なら名称と住所から作ります。",
    ),
    Column(
        "name",
        "名称",
        (
            "資源名",
            "団体名",
            "名前",
            "会の名称",
            "活動名",
            "サロン名",
            "教室名",
            "グループ名",
            "事業所名",
            "事業所名称",
            "事業所の名称",
            "施設名",
            "施設名称",
            "介護サービス事業所名称",
            "指定暑熱避難施設の名称",
            "要配慮者利用施設名称",
            "名称（施設名）",
            "資源の名称",
            "name",
            "facilityName",
            "行事名",
            "イベント名",
            "催し名",
        ),
        help="必須",
    ),
    Column(
        "kana",
        "よみがな",
        (
            "ふりがな",
            "フリガナ",
            "よみ",
            "読み",
            "かな",
            "カナ",
            "名称_カナ",
            "名称カナ",
            "名称（カナ）",
            "事業所の名称_かな",
            "事業所名称_カナ",
            "施設名_カナ",
            "名称（ふりがな）",
            "介護サービス事業所名称_カナ",
            "事業所名カナ",
            "名称_ｶﾅ",
            "kana",
            "nameKana",
        ),
    ),
    Column(
        "resource_type",
        "種別",
        ("種類", "資源の種類", "資源種別", "type"),
        help="通いの場・サロン、体操教室、認知症カフェ … 空欄なら名称から推定します。",
    ),
    Column(
        "categories",
        "カテゴリ",
        ("カテゴリー", "活動分類", "活動の分類", "活動内容の分類", "ジャンル", "分類"),
        help="「、」か「,」で区切って複数",
    ),
    Column(
        "description",
        "内容",
        ("活動内容", "説明", "概要", "紹介", "PR", "内容・特色", "サービス内容", "事業内容"),
    ),
    Column(
        "organiser",
        "運営団体",
        (
            "運営主体",
            "主催",
            "主催者",
            "運営者",
            "実施主体",
            "実施団体",
            "設置主体",
            "法人名",
            "法人名称",
            "法人の名称",
        ),
    ),
    Column("organiser_kind", "運営主体の種類", ("運営形態", "主体の種類", "法人種別")),
    Column(
        "service",
        "サービスの種類",
        ("実施サービス", "サービス種別", "介護サービスの種類", "サービス", "施設の種類"),
        help="介護保険のサービス名なら種別は介護保険事業所、サービス名は内容に残ります。",
        export=False,
    ),
    Column("venue", "会場", ("開催場所", "会場名", "活動場所", "実施場所", "場所")),
    Column("postal_code", "郵便番号", ("〒", "郵便")),
    Column(
        "address",
        "住所",
        (
            "所在地",
            "会場住所",
            "会場の住所",
            "開催場所住所",
            "事業所住所",
            "事業所所在地",
            "施設住所",
            "所在地_連結表記",
            "所在地（都道府県から番地まで）",
            "address",
            "streetAddress",
        ),
    ),
    Column(
        "address_city",
        "住所（市区町村）",
        ("事業所住所（市区町村）", "所在地（市区町村）"),
        export=False,
    ),
    Column(
        "address_rest",
        "住所（番地以降）",
        ("事業所住所（番地以降）", "所在地（番地以降）"),
        export=False,
    ),
    Column(
        "building",
        "方書",
        (
            "方書（ビル名等）",
            "建物名等（方書）",
            "所在地（建物名・部屋番号等）",
            "建物名",
            "ビル名",
        ),
        help="住所の後ろにつなげます。",
        export=False,
    ),
    Column(
        "municipality",
        "市区町村名",
        ("市区町村", "所在地_市区町村", "地方公共団体名", "municipality"),
        help="市外の行を見分けるのに使います（取り込みません）。",
        export=False,
    ),
    Column(
        "prefecture",
        "都道府県名",
        ("都道府県", "所在地_都道府県", "prefecture"),
        help="市外の行を見分けるのに使います（取り込みません）。",
        export=False,
    ),
    Column(
        "access",
        "交通アクセス",
        ("アクセス", "アクセス方法", "交通", "最寄り駅", "最寄駅", "交通手段"),
    ),
    Column("lat", "緯度", ("事業所緯度", "latitude", "lat", "Y座標", "Y", "y")),
    Column("lng", "経度", ("事業所経度", "longitude", "lng", "lon", "long", "X座標", "X", "x")),
    Column(
        "location_source",
        "位置の出どころ",
        help="入力した位置 / 町丁の代表点（住所から求めた位置）/ 位置なし",
    ),
    Column(
        "ward",
        "第1層の区域",
        ("区", "区名", "行政区", "第1層", "第1層の区"),
        help="区域の名前が区の中だけで通じるとき（第1圏域など）に使います。",
    ),
    Column(
        "area",
        "区域",
        (
            "圏域",
            "地区",
            "日常生活圏域",
            "第2層",
            "第2層圏域",
            "第2層の区域",
            "生活圏域",
            "担当圏域",
            "中学校区",
            "区域名",
            "圏域名",
        ),
        help="区域の名前。区域コードの列があればそちらを使います。",
    ),
    Column("area_code", "区域コード", ("圏域コード", "地区コード", "区コード")),
    Column("area_locked", "区域を手で指定", help="「はい」なら住所から区域を決め直しません。"),
    Column(
        "fee",
        "参加費",
        ("費用", "料金", "利用料", "利用料金", "会費", "参加費用", "参加料", "料金体系", "fee"),
        help="無料 / 100円 / 実費 など",
    ),
    Column(
        "fee_note",
        "費用の補足",
        ("料金の補足", "料金(詳細)", "費用の詳細", "参加費の補足", "料金備考"),
    ),
    Column("fee_required", "料金の要否", ("料金_要否", "有料", "費用の有無"), export=False),
    Column(
        "targets",
        "対象者",
        ("対象", "参加対象", "利用対象", "利用対象者", "参加対象者", "target"),
        help="「、」か「,」で区切って複数",
    ),
    Column("features", "特徴", ("条件", "特色"), help="「、」か「,」で区切って複数"),
    Column(
        "pickup",
        "送迎の有無",
        ("送迎", "送迎有無"),
        help="「有」「あり」「○」なら特徴に「送迎あり」を加えます。",
        export=False,
    ),
    Column(
        "capacity",
        "定員",
        (
            "利用定員",
            "募集人数",
            "定員数",
            "capacity",
            "指定暑熱避難施設の開放により受け入れることが可能であると見込まれる人数",
        ),
    ),
    Column("how_to_join", "参加方法", ("申込方法", "申し込み方法", "申込み", "利用方法")),
    Column(
        "schedule",
        "開催日時",
        (
            "曜日",
            "開催日",
            "開催曜日",
            "活動日",
            "活動曜日",
            "日時",
            "開催日程",
            "開催頻度",
            "利用可能曜日",
            "availableDay",
            "availableDate",
            "実施日",
        ),
        help="毎週火曜 10:00～11:30 / 第1・3水曜 13:30～15:00 / 毎月15日 / 不定期",
    ),
    Column(
        "holiday_rule",
        "祝日の開催",
        ("祝日", "祝日の扱い", "祝日開催", "祝日の活動"),
        help="「祝日は休み」か「祝日も開催」。空欄なら種別どおり（通いの場は祝日休み）",
    ),
    Column(
        "times",
        "時間",
        ("開催時間", "活動時間", "時間帯", "実施時間", "利用時間", "開館時間", "開所時間"),
        export=False,
    ),
    Column("opens", "開始時間", ("開始時刻", "startTime", "開館時刻"), export=False),
    Column("closes", "終了時間", ("終了時刻", "endTime", "閉館時刻"), export=False),
    *_day_hours_columns(),
    Column(
        "schedule_note",
        "利用可能日時特記事項",
        (
            "利用可能曜日特記事項",
            "利用可能曜日特記事項（留意事項）",
            "指定暑熱避難施設を開放することができる日及び時間帯特記事項",
            "開催日時の補足",
        ),
        help="開催日時の補足として内容に残ります。",
        export=False,
    ),
    Column("closed_days", "定休日", ("休館日", "休業日", "休み"), export=False),
    Column("contact_name", "問い合わせ先", ("問合せ先", "問い合わせ", "お問い合わせ", "連絡先")),
    Column(
        "contact_phone",
        "電話番号",
        (
            "電話",
            "TEL",
            "連絡先電話番号",
            "事業所電話番号",
            "問い合わせ電話番号",
            "telephoneNumber",
            "telephone",
            "phone",
        ),
    ),
    Column(
        "contact_email",
        "メール",
        ("メールアドレス", "E-mail", "email", "Eメール", "連絡先メールアドレス"),
    ),
    Column(
        "url", "ウェブサイト", ("URL", "ホームページ", "HP", "事業所URL", "ウェブページ", "url")
    ),
    Column("status", "状態", ("活動状況", "状況", "ステータス", "活動状態")),
    Column("visibility", "公開範囲", ("公開", "公開・非公開", "公開区分", "公開可否")),
    Column(
        "origin",
        "区分",
        ("新規・拡充", "立ち上げ区分", "新規・既存"),
        help="新規立ち上げ / 既存資源の拡充 / 既存",
    ),
    Column(
        "origin_date",
        "開始日",
        (
            "立ち上げ日",
            "立上げ日",
            "開設日",
            "活動開始日",
            "開始年月",
            "開始時期",
            "設立日",
            "設立年月日",
            "指定日",
            "指定年月日",
            "開始年度",
        ),
        help="和暦も可（令和4年4月1日、R4.4、令和4年度 = 4月1日）",
    ),
    Column("verified_on", "確認日", ("最終確認日", "情報確認日", "確認年月日")),
    Column(
        "contact_person",
        "担当者（関係者限定）",
        ("担当者", "代表者", "世話人", "代表者名", "担当者名"),
    ),
    Column(
        "private_phone",
        "担当者の連絡先（関係者限定）",
        ("担当者の連絡先", "担当者電話番号", "代表者連絡先", "代表者電話番号", "携帯電話"),
    ),
    Column(
        "internal_notes",
        "内部メモ（関係者限定）",
        ("内部メモ", "メモ", "備考", "備考（内部）", "関係者向けメモ"),
    ),
    Column(
        "supporting_coordinator",
        "支援コーディネーター（関係者限定）",
        ("支援コーディネーター", "担当コーディネーター"),
        help="利用者名（ログイン名）か表示名",
    ),
    Column("verified_by", "確認者（関係者限定）", ("確認者",)),
    Column("updated_at", "更新日時", ("最終更新日時",), read_only=True),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
IMPORTABLE_KEYS = tuple(c.key for c in COLUMNS if not c.read_only)


# Headers of real files that are known and deliberately not imported.
IGNORED_HEADERS = (
    "法人の名称_かな",
    "法人番号",
    "法人住所（市区町村）",
    "法人住所（番地以降）",
    "法人電話番号",
    "法人FAX番号",
    "法人URL",
    "事業所FAX番号",
    "FAX",
    "FAX番号",
    "指定機関名",
    "都道府県コード又は市区町村コード",
    "全国地方公共団体コード",
    "POIコード",
    "駐車場_有無",
    "駐車場情報",
    "名称_英字",
    "名称_英語",
    "No.",
    "No",
    "番号",
    "連番",
    "通し番号",
    "登録日時",
    "内線番号",
    "連絡先FormURL",
    "名称_通称",
    "町字ID",
    "所在地_全国地方公共団体コード",
    "市区町村コード",
    "都道府県コード",
    "法人番号の有無",
    "法人名称（ふりがな）",
    "飲食の提供の有無",
    "飲食持ち込みの可否",
    "総合事業実施の有無",
    "高度の種別",
    "高度の値",
    "画像",
    "画像_ライセンス",
    "バリアフリー情報",
    "NO",
)

_DAY_HOURS_KEYS = tuple(f"{p}_{k}" for p in ("hours", "opens", "closes") for k, _l, _d in DAY_KINDS)


class ResourceColumns(Columns):
    """The registry, with the 27 columns of hours per kind of day read by their
    headers only: the upload page's table and the column picker leave them out."""

    @property
    def importable(self) -> tuple:
        return tuple(c for c in super().importable if c.key not in _DAY_HOURS_KEYS)


COLUMN_REGISTRY = ResourceColumns(COLUMNS, anchor="name", ignored=IGNORED_HEADERS)


def column_for_header(header: object) -> tuple[str, int] | None:
    """(key, rank) of a header; key "" for a known header that is not imported."""
    return COLUMN_REGISTRY.lookup(header)
