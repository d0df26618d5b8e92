from django.db import migrations

from editorial.newsroom import install_newsroom


def install(apps, schema_editor):
    install_newsroom(apps)  # idempotent: adds the roles' reader-comment permissions


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0004_publish_follow_up"),
        ("readership", "0001_views_reactions_comments"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
