"""The ordinance's protected grounds, sanction table and stage deadlines in every district."""

from django.db import migrations


def load(apps, schema_editor):
    from apps.complaints.reference_data import complaints_reference_load

    complaints_reference_load(
        apps.get_model("complaints", "Ground"),
        apps.get_model("complaints", "SanctionRule"),
        apps.get_model("complaints", "StageDeadline"),
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
