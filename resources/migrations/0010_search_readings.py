"""The search text again, now with the readings of every field (resources/readings.py)
and the spelling variants folded (portal.text.search_key)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from resources.models import search_document
    from resources.search import bigram_vector

    Resource = apps.get_model("resources", "Resource")
    batch = []
    fields = ["name", "kana", "description", "organiser", "venue", "address"]
    for resource in Resource.objects.only("pk", *fields).iterator(chunk_size=1000):
        resource.search_text = search_document([getattr(resource, f) for f in fields])
        resource.name_text = search_document([resource.name, resource.kana])[:600]
        resource.search_bigrams = bigram_vector(resource.search_text)
        batch.append(resource)
        if len(batch) >= 1000:
            Resource.objects.bulk_update(batch, ["search_text", "name_text", "search_bigrams"])
            batch = []
    if batch:
        Resource.objects.bulk_update(batch, ["search_text", "name_text", "search_bigrams"])


class Migration(migrations.Migration):
    dependencies = [("resources", "0009_unmet_search")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
