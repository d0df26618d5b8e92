from django.db import migrations

from editorial.newsroom import install_newsroom


def install(apps, schema_editor):
    """Roles hold exactly their image and document rights; Wagtail's "Moderators" none."""
    install_newsroom(apps)


class Migration(migrations.Migration):
    dependencies = [("editorial", "0004_publish_follow_up")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
