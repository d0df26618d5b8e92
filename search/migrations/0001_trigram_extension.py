from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm, for the "did you mean" suggestions on a search that finds nothing."""

    dependencies: list = []

    operations = [TrigramExtension()]
