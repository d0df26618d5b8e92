"""A partial index for the scheduler's expiry query, so a tick stays cheap with many pages.

Wagtail indexes `Revision.approved_go_live_at` but not `Page.expire_at`; without this every
two-second tick scans the page table for live pages past their expiry.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("editorial", "0002_newsroom_roles"), ("wagtailcore", "0098_apitoken")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS editorial_page_expiring_idx "
            "ON wagtailcore_page (expire_at) WHERE live AND expire_at IS NOT NULL",
            "DROP INDEX IF EXISTS editorial_page_expiring_idx",
        ),
    ]
