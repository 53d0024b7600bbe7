from django.db import migrations


class Migration(migrations.Migration):
    """The data version now lives in portal (portal/cache.py)."""

    dependencies = [("resources", "0007_dataversion"), ("portal", "0002_dataversion")]

    operations = [migrations.DeleteModel(name="DataVersion")]
