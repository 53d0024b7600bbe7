"""The seed categories take the colour-blind-safe colours (resources/palette.py).

A colour a city chose itself (not the old seed colour) is kept.
"""

from django.db import migrations

OLD_SEED = {
    "work": "#8c510a",
    "contribution": "#d95f02",
    "hobby": "#7570b3",
    "exercise": "#1b7a5a",
    "learning": "#c2185b",
    "social": "#4d7c0f",
    "shopping": "#b45309",
    "housework": "#6d4c41",
    "outing": "#1f78b4",
    "other": "#555555",
}
NEW_SEED = {
    "work": "#E69F00",
    "contribution": "#D55E00",
    "hobby": "#56B4E9",
    "exercise": "#009E73",
    "learning": "#0072B2",
    "social": "#CC79A7",
    "shopping": "#F0E442",
    "housework": "#000000",
    "outing": "#999999",
    "other": "#FFFFFF",
}


def forwards(apps, schema_editor):
    Category = apps.get_model("resources", "Category")
    for code, old in OLD_SEED.items():
        Category.objects.filter(code=code, color__iexact=old).update(color=NEW_SEED[code])


def backwards(apps, schema_editor):
    Category = apps.get_model("resources", "Category")
    for code, new in NEW_SEED.items():
        Category.objects.filter(code=code, color__iexact=new).update(color=OLD_SEED[code])


class Migration(migrations.Migration):
    dependencies = [("resources", "0014_index_label_names")]

    operations = [migrations.RunPython(forwards, backwards)]
