"""A coordinator's areas are stored once, on the user (``User.areas``).

``Coordinator.areas`` used to repeat them and drifted when one side was edited
in the admin. ``User.areas`` is what the access policy has always read, so a
user who has areas keeps them (access stays exactly as it was); a user with
none gets the profile's. Going back copies the user's areas onto the profile.
"""

from django.db import migrations


def areas_onto_users(apps, schema_editor):
    Coordinator = apps.get_model("coordinators", "Coordinator")
    for coordinator in Coordinator.objects.select_related("user").prefetch_related("areas"):
        areas = list(coordinator.areas.all())
        if areas and not coordinator.user.areas.exists():
            coordinator.user.areas.set(areas)


def areas_onto_profiles(apps, schema_editor):
    Coordinator = apps.get_model("coordinators", "Coordinator")
    for coordinator in Coordinator.objects.select_related("user"):
        coordinator.areas.set(coordinator.user.areas.all())


class Migration(migrations.Migration):
    dependencies = [
        ("coordinators", "0001_initial"),
        ("portal", "0002_dataversion"),
    ]

    operations = [
        migrations.RunPython(areas_onto_users, areas_onto_profiles),
        migrations.RemoveField(model_name="coordinator", name="areas"),
    ]
