"""`make run`'s story budget: today's and tomorrow's plan (see `planning.demo`)."""

from django.core.management.base import BaseCommand

from planning.demo import seed_demo_budget


class Command(BaseCommand):
    help = "Seed a demo story budget for today and tomorrow (once; existing plans are kept)."

    def handle(self, *args, **options):
        created = seed_demo_budget()
        if options["verbosity"]:
            self.stdout.write(
                f"Seeded {created} assignments." if created else "Plans exist; nothing seeded."
            )
