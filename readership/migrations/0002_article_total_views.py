import django.db.models.deletion
from django.db import migrations, models

# Every article's stored count moves across as it stands; articles never viewed get no row
# (a missing row reads as 0). The page's column goes in news/0007_remove_articlepage_view_count.
COPY_VIEW_COUNTS = """
INSERT INTO readership_articletotalviews (article_id, views)
SELECT page_ptr_id, view_count FROM news_articlepage WHERE view_count > 0
ON CONFLICT (article_id) DO UPDATE SET views = EXCLUDED.views
"""
COPY_BACK = """
UPDATE news_articlepage a SET view_count = t.views
FROM readership_articletotalviews t WHERE t.article_id = a.page_ptr_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0006_merge_embargo_fronts_labels_menus"),
        ("readership", "0001_views_reactions_comments"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleTotalViews",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="total_views",
                        serialize=False,
                        to="news.articlepage",
                    ),
                ),
                ("views", models.PositiveBigIntegerField(default=0)),
            ],
            options={
                "verbose_name_plural": "article total views",
            },
        ),
        migrations.RunSQL(COPY_VIEW_COUNTS, COPY_BACK),
    ]
