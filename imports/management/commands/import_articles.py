from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.importer import ImportFileError, import_file
from news.models import NewsIndexPage, StaffIndexPage


class Command(BaseCommand):
    help = (
        "Import stories from JSON Lines (.jsonl), CSV (.csv) or a WordPress export (.xml) and "
        "publish them with their own dates. Safe to run twice: imported stories are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--section",
            default="",
            help="Slug of the news section to put the stories in (default: the top news index).",
        )

    def handle(self, *args, file: Path, section: str, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        sections = NewsIndexPage.objects.order_by("depth", "path")
        target = sections.filter(slug=section).first() if section else sections.first()
        staff_index = StaffIndexPage.objects.first()
        if target is None or staff_index is None:
            raise CommandError(
                f"No news section {section!r} or staff index to import into: create them first."
                if section
                else "No news section or staff index to import into: run seed_demo or create them."
            )
        try:
            report = import_file(file, section=target, staff_index=staff_index)
        except ImportFileError as error:
            raise CommandError(str(error)) from None

        for label, message in report.errors:
            self.stderr.write(f"Skipped {label}: {message}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(report.articles)} article(s), {len(report.staff)} staff "
                f"profile(s), {len(report.tags)} tag(s), {len(report.sources)} source(s), "
                f"{report.images} image(s); {len(report.unchanged)} already imported; "
                f"{len(report.errors)} skipped."
            )
        )
        for heading, names in (
            ("Staff profiles", report.staff),
            ("Tags", report.tags),
            ("Sources", report.sources),
        ):
            if names:
                self.stdout.write(f"{heading} created: {', '.join(names)}")
