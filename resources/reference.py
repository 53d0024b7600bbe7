"""Reference data every city starts with: the seed-000 categories, targets, features.

Used by migration 0002 (with the historical models) and by tests that flush the
database; keep ``seed_reference_data`` working with models passed in.
"""

from __future__ import annotations

CATEGORIES = [
    # code, name, group, colour: Okabe–Ito, as resources/palette.py (CATEGORY_COLORS) says
    ("work", "就労", "prevention", "#E69F00"),
    ("contribution", "地域貢献", "prevention", "#D55E00"),
    ("hobby", "趣味", "prevention", "#56B4E9"),
    ("exercise", "運動", "prevention", "#009E73"),
    ("learning", "学習", "prevention", "#0072B2"),
    ("social", "交流", "prevention", "#CC79A7"),
    ("shopping", "買い物", "life_support", "#F0E442"),
    ("housework", "家事", "life_support", "#000000"),
    ("outing", "外出", "life_support", "#999999"),
    ("other", "その他", "life_support", "#FFFFFF"),
]
TARGETS = [
    ("anyone", "どなたでも"),
    ("age65", "65歳以上"),
    ("support", "要支援・事業対象者"),
    ("care", "要介護"),
    ("dementia", "認知症の方と家族"),
    ("carers", "介護している家族"),
]
FEATURES = [
    ("pickup", "送迎あり"),
    ("barrier_free", "バリアフリー"),
    ("no_booking", "予約不要"),
    ("men_welcome", "男性歓迎"),
    ("online", "オンライン"),
    ("trial", "見学・体験できる"),
]


def seed_reference_data(Category=None, Target=None, Feature=None) -> None:
    if Category is None:
        from resources.models import Category, Feature, Target
    for order, (code, name, group, color) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code, defaults={"name": name, "group": group, "color": color, "sort_order": order}
        )
    for model, rows in ((Target, TARGETS), (Feature, FEATURES)):
        for order, (code, name) in enumerate(rows, start=1):
            model.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
