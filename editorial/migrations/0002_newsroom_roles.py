from django.db import migrations

from editorial.newsroom import install_newsroom


def install(apps, schema_editor):
    install_newsroom(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_newsroom_tasks"),
        ("news", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        # Wagtail's own data migrations copy image and document permissions into collections:
        # they must run before roles that hold those permissions exist.
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
