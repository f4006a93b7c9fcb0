from django.conf import settings
from django.db import migrations


def mentor_group_create(apps, schema_editor):
    """The group an admin adds a user to, to make them a mentor: present on every database."""
    apps.get_model("auth", "Group").objects.get_or_create(name=settings.MENTOR_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_choice_retired"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(mentor_group_create, migrations.RunPython.noop)]
