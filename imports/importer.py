"""Import stories from JSON Lines, CSV or a WordPress export (WXR).

Each item commits on its own (one transaction: its page, people, section, tags, images,
comments and redirects), so an invalid item is skipped with a message naming it and the rest
still import; nothing of a failed item stays behind. Each story keeps a stable `import_key`
(the row's `id`/`guid`, else its slug and publication time), so importing the same file twice
changes nothing, and the report says so.

JSON Lines and CSV rows become published articles with their own dates. For WordPress, see
`imports.wordpress` (what each item is) and `imports.blocks` (what a post's content becomes).
"""

import csv
import json
import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from imports import wordpress
from imports.media import MediaLibrary
from imports.records import ImportFileError, RowError, parse_record
from imports.report import ImportReport, ItemResult, Outcome
from imports.saving import already_imported, save_article, section_for, unchanged
from news.models import NewsIndexPage, StaffIndexPage

logger = logging.getLogger(__name__)

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xml": "wxr", ".wxr": "wxr"}
CATEGORY_MODES = ("sections", "tags")
# Beyond this an import would hold the terminal for hours; split the export instead.
DEFAULT_MAX_BYTES = 2 * 1024**3

__all__ = ["ImportFileError", "import_file"]


# --- Reading JSON Lines and CSV: each yields (row label, raw dict or RowError) ---------------


def read_jsonl(path: Path) -> Iterator[tuple[str, dict | RowError]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            label = f"line {number}"
            try:
                row = json.loads(line.strip())
            except json.JSONDecodeError as error:
                yield label, RowError(f"not valid JSON ({error.msg}, column {error.colno}).")
                continue
            if not isinstance(row, dict):
                yield label, RowError("expected a JSON object.")
                continue
            yield label, row


def read_csv(path: Path) -> Iterator[tuple[str, dict | RowError]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "title" not in reader.fieldnames:
            raise ImportFileError(f"{path.name}: the CSV header must name a 'title' column.")
        for number, row in enumerate(reader, start=1):
            label = f"row {number}"
            if None in row:
                yield label, RowError("more values than columns in the header.")
                continue
            yield label, {key: value for key, value in row.items() if value is not None}


# --- One item, one transaction ---------------------------------------------------------------


def run_item(
    report: ImportReport,
    *,
    label: str,
    order: int,
    work: Callable[[ImportReport], ItemResult],
    media: MediaLibrary | None = None,
) -> None:
    """Do one item's work in its own transaction; what it created counts only if it commits,
    and whatever goes wrong is said in the report, never raised at the editor."""
    staged = ImportReport()
    images_before = media.created if media else 0
    try:
        with transaction.atomic():
            result = work(staged)
    except RowError as error:
        result, staged = failure(label, order, str(error)), ImportReport()
    except ValidationError as error:  # a model rule the item's values break
        result, staged = failure(label, order, validation_message(error)), ImportReport()
    except Exception as error:  # noqa: BLE001 - reported and logged; the next item goes on
        logger.exception("import: %s failed", label)
        message = (
            f"an unexpected error stopped it ({error.__class__.__name__}); nothing of it was "
            "imported, and the server log has the details."
        )
        result, staged = failure(label, order, message), ImportReport()
    else:
        if media:
            staged.images += media.created - images_before
    staged.items.append(result)
    report.merge(staged)


def validation_message(error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return " ".join(
        f"{name.replace('_', ' ')}: {message}" if name != "__all__" else message
        for name, messages in error.message_dict.items()
        for message in messages
    )


def failure(label: str, order: int, message: str) -> ItemResult:
    return ItemResult(label=label, outcome=Outcome.FAILED, message=message, order=order)


# --- The formats -----------------------------------------------------------------------------


def import_rows(
    path: Path,
    rows,
    *,
    section: NewsIndexPage,
    staff_index: StaffIndexPage,
    now: datetime,
    report: ImportReport,
) -> None:
    for order, (label, row) in enumerate(rows, start=1):

        def work(staged: ImportReport, label=label, row=row, order=order) -> ItemResult:
            if isinstance(row, RowError):
                raise row
            record = parse_record(row, base_dir=path.parent, now=now)
            return save_article(
                record,
                parent=section,
                staff_index=staff_index,
                label=label,
                order=order,
                report=staged,
            )

        run_item(report, label=label, order=order, work=work)


def import_wordpress(
    path: Path,
    *,
    section: NewsIndexPage,
    staff_index: StaffIndexPage,
    now: datetime,
    categories: str,
    download_media: bool,
    post_types: tuple[str, ...],
    report: ImportReport,
) -> None:
    channel = wordpress.scan(path)  # the whole file is read once before anything is written
    media = MediaLibrary(channel.attachments, download=download_media)

    # Media first: posts show it, and a featured image is set as the post is created.
    for item in channel.attachment_items:

        def attachment(staged: ImportReport, item=item) -> ItemResult:
            message, notes = wordpress.attachment_outcome(item, media=media)
            outcome = Outcome.UNCHANGED if message.startswith("Unchanged") else Outcome.NOT_A_STORY
            return ItemResult(item.label, outcome, message, notes, order=item.number)

        run_item(report, label=item.label, order=item.number, work=attachment, media=media)

    for item in wordpress.items(path):
        if item.post_type == "attachment":
            continue

        def post(staged: ImportReport, item=item) -> ItemResult:
            return wordpress_post(
                item,
                channel=channel,
                media=media,
                section=section,
                staff_index=staff_index,
                now=now,
                categories=categories,
                post_types=post_types,
                report=staged,
            )

        run_item(report, label=item.label, order=item.number, work=post, media=media)
    report.images_not_downloaded = set(media.not_downloaded)


def wordpress_post(
    item: wordpress.WxrItem,
    *,
    channel: wordpress.WxrChannel,
    media: MediaLibrary,
    section: NewsIndexPage,
    staff_index: StaffIndexPage,
    now: datetime,
    categories: str,
    post_types: tuple[str, ...],
    report: ImportReport,
) -> ItemResult:
    def not_a_story(message: str) -> ItemResult:
        return ItemResult(item.label, Outcome.NOT_A_STORY, message, order=item.number)

    if item.post_type not in post_types:
        return not_a_story(
            wordpress.OTHER_POST_TYPES.get(item.post_type)
            or f"Skipped: a WordPress “{item.post_type}” item, not a story (import these too "
            f"with --post-types={','.join((*post_types, item.post_type))})."
        )
    if (status := item.get("wp:status")) in wordpress.SKIPPED_STATUSES:
        return not_a_story(wordpress.SKIPPED_STATUSES[status])
    # Known already: say so before converting anything (or downloading its images again).
    key = wordpress.item_key(item, channel)
    if key and (existing := already_imported(key)) is not None:
        return unchanged(existing, label=item.label, order=item.number, report=report)
    story = wordpress.story(item, channel=channel, media=media, categories_as=categories, now=now)
    parent = section
    if story.categories:
        parent = section_for(story.categories[0], top=section, report=report)
    return save_article(
        story.record,
        parent=parent,
        staff_index=staff_index,
        label=item.label,
        order=item.number,
        report=report,
    )


def import_file(
    path: Path,
    *,
    section: NewsIndexPage,
    staff_index: StaffIndexPage,
    now: datetime | None = None,
    categories: str = "sections",
    download_media: bool = False,
    post_types: tuple[str, ...] = ("post",),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ImportReport:
    """Import every valid item of `path`; each item commits on its own.

    `categories`: WordPress categories become news sections ("sections", nested as they
    were) or tags ("tags"). `download_media`: fetch a WordPress export's images from its
    addresses; without it, images are named in the report and none is created.
    """
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ImportFileError(
            f"{path.name}: unknown format; use .jsonl, .csv or a WordPress export (.xml)."
        )
    if categories not in CATEGORY_MODES:
        raise ImportFileError(f"--categories must be one of {', '.join(CATEGORY_MODES)}.")
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportFileError(
            f"{path.name} is {filesizeformat(size)}, more than the {filesizeformat(max_bytes)} "
            "one import reads. Split it (WordPress exports by date range, under Tools → Export) "
            "and import the parts one after another."
        )
    now = now or timezone.now()
    report = ImportReport()
    try:
        if kind == "wxr":
            import_wordpress(
                path,
                section=section,
                staff_index=staff_index,
                now=now,
                categories=categories,
                download_media=download_media,
                post_types=post_types,
                report=report,
            )
        else:
            rows = read_jsonl(path) if kind == "jsonl" else read_csv(path)
            import_rows(
                path, rows, section=section, staff_index=staff_index, now=now, report=report
            )
    except UnicodeDecodeError:
        raise ImportFileError(
            f"{path.name}: not UTF-8 text; save it as UTF-8 and import it again."
        ) from None
    return report
