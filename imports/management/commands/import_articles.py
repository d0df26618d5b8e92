from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.importer import CATEGORY_MODES, DEFAULT_MAX_BYTES, ImportFileError, import_file
from imports.report import ImportReport, Outcome
from news.models import NewsIndexPage, StaffIndexPage


class Command(BaseCommand):
    help = (
        "Import stories from JSON Lines (.jsonl), CSV (.csv) or a WordPress export (.xml). "
        "Published stories keep their own dates; WordPress drafts, pending, private, scheduled "
        "and password-protected posts become drafts. Each story commits on its own, and the "
        "report says what happened to every item. Safe to run twice: imported stories are "
        "recognised and left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--section",
            default="",
            help="Slug of the news section to put the stories in (default: the top news index).",
        )
        parser.add_argument(
            "--categories",
            choices=CATEGORY_MODES,
            default="sections",
            help="WordPress: categories become news sections below --section, nested as they "
            "were (default; a post with several goes in its first, the others become tags), "
            "or tags.",
        )
        parser.add_argument(
            "--download-media",
            action="store_true",
            help="WordPress: download the export's images from its addresses and make them "
            "Wagtail images. Without it nothing is fetched: the report lists each image's "
            "address and no image is created.",
        )
        parser.add_argument(
            "--post-types",
            default="post",
            help="WordPress: comma-separated post types that are stories (default: post).",
        )
        parser.add_argument(
            "--max-size-mb",
            type=int,
            default=DEFAULT_MAX_BYTES // 1024**2,
            help="Refuse files larger than this (default: %(default)s MB).",
        )
        parser.add_argument(
            "--report",
            type=Path,
            help="Also write the item-by-item report to this CSV file.",
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
        post_types = tuple(
            kind.strip() for kind in options["post_types"].split(",") if kind.strip()
        )
        try:
            report = import_file(
                file,
                section=target,
                staff_index=staff_index,
                categories=options["categories"],
                download_media=options["download_media"],
                post_types=post_types or ("post",),
                max_bytes=options["max_size_mb"] * 1024**2,
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        self.write_report(report)
        if options["report"]:
            report.write_csv(options["report"])
            self.stdout.write(f"Item-by-item report written to {options['report']}.")

    def write_report(self, report: ImportReport) -> None:
        for item in report.failed:
            self.stderr.write(f"Skipped {item.label}: {item.message}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(report.articles)} article(s), {len(report.staff)} staff "
                f"profile(s), {len(report.tags)} tag(s), {len(report.sources)} source(s), "
                f"{report.images} image(s); {len(report.unchanged)} already imported; "
                f"{len(report.failed)} skipped."
            )
        )
        more = []
        if report.drafts:
            published = len(report.articles) - len(report.drafts)
            more.append(f"{published} published and {len(report.drafts)} imported as drafts")
        if report.sections:
            more.append(f"{len(report.sections)} section(s) created")
        if comments := report.comments_approved + report.comments_pending:
            more.append(
                f"{comments} comment(s) ({report.comments_approved} approved, "
                f"{report.comments_pending} waiting for moderation)"
            )
        if report.redirects:
            more.append(f"{report.redirects} redirect(s) from old addresses")
        if report.not_stories:
            more.append(
                f"{len(report.not_stories)} item(s) that are not stories (media, pages, menus)"
            )
        if report.images_not_downloaded:
            more.append(
                f"{len(report.images_not_downloaded)} image(s) not downloaded: run with "
                "--download-media to fetch them"
            )
        if more:
            self.stdout.write("; ".join(more).capitalize() + ".")
        draft_staff = set(report.draft_staff)
        for heading, names in (
            ("Staff profiles created", [n for n in report.staff if n not in draft_staff]),
            (
                "Staff profiles created as drafts (complete and publish them)",
                report.draft_staff,
            ),
            ("Tags created", report.tags),
            ("Sources created", report.sources),
            ("Sections created", report.sections),
        ):
            if names:
                self.stdout.write(f"{heading}: {', '.join(names)}")
        items = [item for item in report.in_file_order() if item.outcome != Outcome.FAILED]
        if items:
            self.stdout.write("")
        for item in items:
            self.stdout.write(item.as_text())
            for note in item.notes:
                self.stdout.write(f"    - {note}")
