"""Reference data every city starts with: the seed-000 categories, targets, features."""

from django.db import migrations

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


def seed(apps, schema_editor):
    Category = apps.get_model("resources", "Category")
    Target = apps.get_model("resources", "Target")
    Feature = apps.get_model("resources", "Feature")
    for order, (code, name, group, color) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code, defaults={"name": name, "group": group, "color": color, "sort_order": order}
        )
    for model, rows in ((Target, TARGETS), (Feature, FEATURES)):
        for order, (code, name) in enumerate(rows, start=1):
            model.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
