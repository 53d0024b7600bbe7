"""The measures of 地域分析, defined once.

``MEASURES`` lists every column of the analysis table in order: its CSV header
(fixed Japanese: the contract of ``/staff/analysis/areas.csv``), its label, and
its definition, which the page and the meeting pack print under the table.
Each measure is a function of one area's ``Figures`` (the counts gathered by
``analysis.figures``), so that an area's row, the 合計 row and the city
average are computed by the same code from the same kind of counts: ratios of
the 合計 are ratios of sums, never averages of ratios. A measure is either a
count (``count``: one field of ``Figures``) or a ratio of two (``ratio`` with a
``Ratio``: numerator ÷ denominator × scale, one decimal, blank when the
denominator is 0), so that the shape of every ratio is written once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter

from django.utils.translation import gettext_lazy as _

from resources.models import Resource

# 通いの場 in the ministry's sense: where older people gather regularly.
KAYOI_TYPES = (
    Resource.Type.SALON,
    Resource.Type.EXERCISE,
    Resource.Type.DEMENTIA_CAFE,
    Resource.Type.HOBBY,
)
WALK_METRES_PER_MINUTE = 80  # 不動産の表示に関する公正競争規約: 徒歩1分 = 80 m
NEAR_M = 500
FAR_M = 1000


def walk_minutes(metres: float) -> int:
    """徒歩分 of a straight-line distance, rounded up as the 公正競争規約 does."""
    return -(-round(metres) // WALK_METRES_PER_MINUTE)


@dataclass
class Figures:
    """The counts of one area (or of several summed) for one 年度."""

    population: int = 0
    aged_65: int = 0
    chome: int = 0  # 町丁 with population figures
    active: int = 0
    kayoi: int = 0
    by_type: Counter = field(default_factory=Counter)
    by_category: Counter = field(default_factory=Counter)
    covered_near: int = 0  # 65歳以上 living within NEAR_M of a 通いの場
    covered_far: int = 0
    distance_weighted: float = 0.0  # Σ 65歳以上 × distance to the nearest (m)
    distance_known: int = 0  # the 65歳以上 of 町丁 with a 通いの場 at any distance
    participants: int = 0
    participation_records: int = 0
    created: int = 0
    target: int | None = None
    created_trend: list[int] = field(default_factory=list)  # oldest first, this 年度 last
    unmet: int = 0
    unmet_words: list[tuple[str, int]] = field(default_factory=list)
    need_records: int = 0
    no_resource: int = 0
    needs_by_category: Counter = field(default_factory=Counter)
    open_issues: int = 0

    def __iadd__(self, other: Figures) -> Figures:
        """Add ``other``'s counts: every number and Counter field is summed, so
        that a new count needs no line here; the three below are not sums."""
        for f in fields(self):
            if f.name in ("target", "created_trend", "unmet_words"):
                continue
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, Counter):
                mine.update(theirs)
            else:
                setattr(self, f.name, mine + theirs)
        if other.target is not None:
            self.target = (self.target or 0) + other.target
        if other.created_trend:
            mine = self.created_trend or [0] * len(other.created_trend)
            self.created_trend = [a + b for a, b in zip(mine, other.created_trend, strict=True)]
        words = Counter(dict(self.unmet_words))
        words.update(dict(other.unmet_words))
        self.unmet_words = sorted(words.items(), key=lambda item: (-item[1], item[0]))[:5]
        return self


@dataclass(frozen=True)
class Ratio:
    """``numerator`` ÷ ``denominator`` × ``scale`` (÷ ``divisor``), one decimal;
    blank when the denominator is 0, or when ``recorded`` (a count of records)
    is 0. The fields are names of ``Figures``."""

    numerator: str
    denominator: str
    scale: float = 1
    divisor: float = 1
    recorded: str = ""

    def __call__(self, f: Figures) -> float | None:
        if self.recorded and not getattr(f, self.recorded):
            return None
        denominator = getattr(f, self.denominator)
        if not denominator:
            return None
        result = getattr(f, self.numerator) / denominator
        if self.divisor != 1:
            result /= self.divisor
        return round(result * self.scale, 1)


@dataclass(frozen=True)
class Measure:
    key: str
    column: str  # the CSV header (contract: fixed Japanese)
    label: str
    unit: str
    definition: str
    compute: Callable[[Figures], int | float | None]
    decimals: int = 0
    # Measures the choropleth may shade by (ratios, which compare across sizes).
    mappable: bool = False


def count(key: str, column: str, label, unit, definition) -> Measure:
    """A count: the field of ``Figures`` named ``key``, as it is."""
    return Measure(key, column, label, unit, definition, attrgetter(key))


def ratio(key: str, column: str, label, unit, definition, compute: Ratio) -> Measure:
    """A ratio of two counts: one decimal, and the map may shade by it."""
    return Measure(key, column, label, unit, definition, compute, decimals=1, mappable=True)


PERCENT = 100
PER_1000 = 1000

MEASURES: list[Measure] = [
    count(
        "population",
        "人口",
        _("人口"),
        _("人"),
        _("区域の町丁の人口の合計（国勢調査または地域・年齢別人口から取り込んだ値）。"),
    ),
    count(
        "aged_65", "65歳以上人口", _("65歳以上人口"), _("人"), _("区域の町丁の65歳以上人口の合計。")
    ),
    ratio(
        "aging_rate",
        "高齢化率",
        _("高齢化率"),
        "%",
        _("65歳以上人口 ÷ 人口 × 100。"),
        Ratio("aged_65", "population", PERCENT),
    ),
    count(
        "active",
        "活動中の資源数",
        _("活動中の資源数"),
        _("か所"),
        _("状況が「活動中」の地域資源の数（関係者限定の資源を含む）。"),
    ),
    ratio(
        "per_1000",
        "65歳以上千人あたり",
        _("65歳以上千人あたり"),
        _("か所"),
        _("活動中の資源数 ÷ 65歳以上人口 × 1,000。"),
        Ratio("active", "aged_65", PER_1000),
    ),
    count(
        "kayoi",
        "通いの場の数",
        _("通いの場の数"),
        _("か所"),
        _(
            "活動中の通いの場（種別が通いの場・サロン、体操教室、認知症カフェ、趣味・学習・交流の会）の数。"
        ),
    ),
    ratio(
        "kayoi_per_1000",
        "通いの場_65歳以上千人あたり",
        _("通いの場 65歳以上千人あたり"),
        _("か所"),
        _("通いの場の数 ÷ 65歳以上人口 × 1,000（厚生労働省の箇所数の指標）。"),
        Ratio("kayoi", "aged_65", PER_1000),
    ),
    ratio(
        "coverage_near",
        "徒歩圏カバー率_500m",
        _("徒歩圏カバー率 500m（徒歩7分）"),
        "%",
        _(
            "町丁の代表点から直線500m以内（徒歩80m/分で約7分）に活動中の通いの場がある町丁の"
            "65歳以上人口 ÷ 区域の65歳以上人口 × 100。区域の外の通いの場も数えます。"
        ),
        Ratio("covered_near", "aged_65", PERCENT),
    ),
    ratio(
        "coverage_far",
        "徒歩圏カバー率_1km",
        _("徒歩圏カバー率 1km（徒歩13分）"),
        "%",
        _("同じく直線1km以内（徒歩約13分）。"),
        Ratio("covered_far", "aged_65", PERCENT),
    ),
    ratio(
        "walk_minutes",
        "最寄りの通いの場_徒歩分",
        _("最寄りの通いの場まで（徒歩分）"),
        _("分"),
        _(
            "町丁の代表点から最も近い活動中の通いの場までの直線距離を80m/分で割った分数の、"
            "65歳以上人口で重みづけした平均。"
        ),
        Ratio("distance_weighted", "distance_known", divisor=WALK_METRES_PER_MINUTE),
    ),
    ratio(
        "participation",
        "参加率",
        _("参加率"),
        "%",
        _(
            "年度の参加者実人数（資源ごとに記録したもの）の合計 ÷ 65歳以上人口 × 100（厚生労働省の"
            "通いの場への参加率）。記録のない区域は空欄です。"
        ),
        Ratio("participants", "aged_65", PERCENT, recorded="participation_records"),
    ),
    count(
        "created",
        "創出数",
        _("創出数"),
        _("か所"),
        _(
            "開始日が年度内の「新規立ち上げ」「既存資源の拡充」の地域資源の数（集計表「地域資源の創出数」と同じ数え方）。"
        ),
    ),
    count(
        "target",
        "目標",
        _("創出目標"),
        _("か所"),
        _("第1層の区域ごと・1年度あたりの創出目標（集計表と同じ）。第2層の区域にはありません。"),
    ),
    count(
        "unmet",
        "0件の検索数",
        _("0件の検索数"),
        _("回"),
        _(
            "年度内に、その区域を選んで検索し、何も見つからなかった（または語を外して見つかった）"
            "検索語の回数。誰が検索したかは記録していません。"
        ),
    ),
    count(
        "need_records",
        "ニーズの記録数",
        _("ニーズの記録数"),
        _("件"),
        _("年度内の活動記録のうち、聴き取ったニーズか「該当する資源なし」を付けたものの数。"),
    ),
    count(
        "no_resource",
        "該当する資源なし",
        _("該当する資源なし"),
        _("件"),
        _("年度内の活動記録のうち「該当する資源なし」を付けたものの数。"),
    ),
    count(
        "open_issues",
        "未解決の地域課題",
        _("未解決の地域課題"),
        _("件"),
        _("協議体で提起され、状況が「対応済」でない地域課題の数（年度を問いません）。"),
    ),
]
MEASURE_BY_KEY = {m.key: m for m in MEASURES}
MAPPABLE = [m for m in MEASURES if m.mappable]


def value(measure: Measure, figures: Figures):
    return measure.compute(figures)


def display(measure: Measure, number) -> str:
    """The value as the page and the CSV write it: one decimal for ratios."""
    if number is None:
        return ""
    if measure.decimals:
        return f"{number:.{measure.decimals}f}"
    return str(number)
