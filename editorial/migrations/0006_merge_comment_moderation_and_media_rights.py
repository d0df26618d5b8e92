from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0005_comment_moderation_roles"),
        ("editorial", "0005_newsroom_media_rights"),
    ]

    operations = []
