from django.db import migrations


def give_editors_and_chiefs_releases(apps, schema_editor):
    from editorial.newsroom import install_groups

    install_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0001_release_bundles"),
        ("editorial", "0006_merge_comment_moderation_and_media_rights"),
    ]

    operations = [
        migrations.RunPython(give_editors_and_chiefs_releases, migrations.RunPython.noop)
    ]
