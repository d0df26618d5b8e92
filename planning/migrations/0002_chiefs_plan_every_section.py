from django.db import migrations


def give_chiefs_every_section(apps, schema_editor):
    from editorial.newsroom import install_groups

    install_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_pitches_and_assignments"),
        ("editorial", "0004_publish_follow_up"),
    ]

    operations = [migrations.RunPython(give_chiefs_every_section, migrations.RunPython.noop)]
