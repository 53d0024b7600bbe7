"""Reference data every city starts with: the seed-000 categories, targets, features.

Used by migration 0002 (with the historical models) and by tests that flush the
database; keep ``seed_reference_data`` working with models passed in.
"""

from __future__ import annotations

CATEGORIES = [
    # code, name, group, colour (distinguishable on the map and in print)
    ("work", "就労", "prevention", "#8c510a"),
    ("contribution", "地域貢献", "prevention", "#d95f02"),
    ("hobby", "趣味", "prevention", "#7570b3"),
    ("exercise", "運動", "prevention", "#1b7a5a"),
    ("learning", "学習", "prevention", "#c2185b"),
    ("social", "交流", "prevention", "#4d7c0f"),
    ("shopping", "買い物", "life_support", "#b45309"),
    ("housework", "家事", "life_support", "#6d4c41"),
    ("outing", "外出", "life_support", "#1f78b4"),
    ("other", "その他", "life_support", "#555555"),
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
