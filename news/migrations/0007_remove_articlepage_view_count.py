from django.db import migrations


class Migration(migrations.Migration):
    # The counts were copied to readership's ArticleTotalViews first.
    dependencies = [
        ("news", "0006_merge_embargo_fronts_labels_menus"),
        ("readership", "0002_article_total_views"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="articlepage",
            name="view_count",
        ),
    ]
