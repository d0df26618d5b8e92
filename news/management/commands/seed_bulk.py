import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from news.bulk import seed_articles
from news.models import HomePage


class Command(BaseCommand):
    help = "Create N realistic published articles quickly, for benchmarks (bulk inserts, no revisions)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: same seed, same text."
        )

    def handle(self, *args, **options):
        if not HomePage.objects.exists():
            call_command("seed_demo", articles=0, stdout=self.stdout)
        started = time.perf_counter()
        created = seed_articles(count=options["articles"], seed=options["seed"])
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created} articles in {elapsed:.1f} s ({created / elapsed:.0f}/s)."
            )
        )
