"""The header lists the pages marked "Show in menus" (news.navigation): the sections and the
staff index that existed before it did are marked, in the page and in its latest revision
(which the edit form starts from), so the header keeps linking them after the next edit."""

from django.db import migrations

MENU_DEPTHS = (3, 4)


def show_sections_in_menus(apps, schema_editor):
    revision_model = apps.get_model("wagtailcore", "Revision")
    for name in ("NewsIndexPage", "StaffIndexPage"):
        pages = apps.get_model("news", name).objects.filter(depth__in=MENU_DEPTHS)
        latest_revisions = list(pages.values_list("latest_revision_id", flat=True))
        pages.update(show_in_menus=True)
        for revision in revision_model.objects.filter(pk__in=latest_revisions):
            revision.content["show_in_menus"] = True
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_related_pass_and_gin_without_pending_list"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(show_sections_in_menus, migrations.RunPython.noop)]
