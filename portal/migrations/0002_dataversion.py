from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("portal", "DataVersion").objects.using(schema_editor.connection.alias).create(
        pk=1, version=0
    )


class Migration(migrations.Migration):
    """The data version moves from resources to the kernel (portal/cache.py)."""

    dependencies = [("portal", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.BigIntegerField(default=0, verbose_name="版")),
            ],
            options={"verbose_name": "公開データの版"},
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
