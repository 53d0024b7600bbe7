from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("resources", "DataVersion").objects.using(schema_editor.connection.alias).create(
        pk=1, version=0
    )


class Migration(migrations.Migration):
    dependencies = [("resources", "0006_public_bigrams_index")]

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
