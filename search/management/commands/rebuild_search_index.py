import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from search.indexing import DEFAULT_MODELS, reindex_in_batches


class Command(BaseCommand):
    help = (
        "Re-index articles and staff profiles in batches (keyset order, a commit per batch), "
        "without taking the live index away from readers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--model", action="append", help="app_label.ModelName (repeatable); default: all"
        )

    def handle(self, *args, batch_size: int, model: list[str] | None, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            models = [apps.get_model(label) for label in model] if model else DEFAULT_MODELS
        except (LookupError, ValueError) as error:
            raise CommandError(str(error)) from error
        for indexed_model in models:
            started = time.monotonic()
            count = 0
            for count in reindex_in_batches(indexed_model, batch_size=batch_size):
                if options["verbosity"] > 1:
                    self.stdout.write(f"  {indexed_model._meta.label}: {count}")
            self.stdout.write(
                f"{indexed_model._meta.label}: {count} indexed in "
                f"{time.monotonic() - started:.1f} s"
            )
