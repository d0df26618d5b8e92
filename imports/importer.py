"""Import stories from JSON Lines, CSV or a WordPress export (WXR).

Each row becomes a published `ArticlePage` under a news section, with its dates as given. Missing
staff profiles, tags and sources are created. A row that does not validate is skipped with a
message naming it; the rest still import. Each story keeps a stable `import_key` (the row's
`id`/`guid`, else its slug and publication time), so importing the same file twice changes
nothing.
"""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from taggit.models import Tag
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.rich_text import RichText

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from news.models import (
    ArticleByline,
    ArticlePage,
    NewsImage,
    NewsIndexPage,
    Source,
    StaffIndexPage,
    StaffProfilePage,
)

BODY_FEATURES = ["bold", "italic", "link", "ol", "ul"]
WXR = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "wp": "http://wordpress.org/export/1.2/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xml": "wxr", ".wxr": "wxr"}


class ImportFileError(Exception):
    """The file as a whole cannot be read (unknown format, not XML): nothing was imported."""


class RowError(Exception):
    """One row is invalid; it is skipped and the import goes on."""


@dataclass
class ArticleRecord:
    key: str
    title: str
    dek: str
    body_html: str
    tags: list[str]
    authors: list[str]
    published_at: datetime
    source_name: str
    source_url: str
    image_path: Path | None
    image_alt: str


@dataclass
class ImportReport:
    articles: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    staff: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    images: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def merge(self, other: "ImportReport") -> None:
        """Add what one row created (only once its transaction has committed)."""
        self.articles += other.articles
        self.unchanged += other.unchanged
        self.staff += other.staff
        self.tags += [tag for tag in other.tags if tag not in self.tags]
        self.sources += other.sources
        self.images += other.images
        self.errors += other.errors


# --- Reading the three formats: each yields (row label, raw dict or RowError) ---------------


def read_rows(path: Path) -> Iterator[tuple[str, dict | RowError]]:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ImportFileError(
            f"{path.name}: unknown format; use .jsonl, .csv or a WordPress export (.xml)."
        )
    return {"jsonl": read_jsonl, "csv": read_csv, "wxr": read_wxr}[kind](path)


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


def read_wxr(path: Path) -> Iterator[tuple[str, dict | RowError]]:
    try:
        tree = ElementTree.parse(path)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise ImportFileError(f"{path.name}: not a readable WordPress export ({error}).") from None
    channel = tree.getroot().find("channel")
    if channel is None:
        raise ImportFileError(f"{path.name}: no <channel> element; not a WordPress export.")
    display_names = {
        (author.findtext("wp:author_login", "", WXR)).strip(): (
            author.findtext("wp:author_display_name", "", WXR)
        ).strip()
        for author in channel.findall("wp:author", WXR)
    }
    for number, item in enumerate(channel.findall("item"), start=1):
        title = (item.findtext("title") or "").strip()
        label = f"item {number}" + (f" ({title[:60]})" if title else "")
        if item.findtext("wp:post_type", "post", WXR) != "post":
            continue  # pages, attachments, menu items: not stories
        status = item.findtext("wp:status", "", WXR)
        if status != "publish":
            yield label, RowError(f"not published in WordPress (status {status or 'missing'}).")
            continue
        meta = {
            entry.findtext("wp:meta_key", "", WXR): entry.findtext("wp:meta_value", "", WXR)
            for entry in item.findall("wp:postmeta", WXR)
        }
        login = (item.findtext("dc:creator", "", WXR)).strip()
        date = item.findtext("wp:post_date_gmt", "", WXR).strip()
        yield (
            label,
            {
                "id": item.findtext("guid") or "",
                "title": title,
                "dek": item.findtext("excerpt:encoded", "", WXR),
                "body_html": item.findtext("content:encoded", "", WXR),
                "tags": [
                    tag.text or ""
                    for tag in item.findall("category")
                    if tag.get("domain") == "post_tag"
                ],
                "authors": [display_names.get(login) or login] if login else [],
                "published_at": f"{date}+00:00" if date and "+" not in date else date,
                "source_name": meta.get("source_name", ""),
                "source_url": meta.get("source_url", ""),
                "image": meta.get("image_path", ""),
                "image_alt": meta.get("image_alt", ""),
            },
        )


# --- Validating one row ----------------------------------------------------------------------


def as_list(value, *, separators: str = ";") -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        for separator in separators[1:]:
            value = value.replace(separator, separators[0])
        return [part.strip() for part in value.split(separators[0]) if part.strip()]
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return [part.strip() for part in value if part.strip()]
    raise RowError("tags and authors must be text or a list of text.")


def text(raw: dict, name: str, *, max_length: int, required: bool = False) -> str:
    value = raw.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RowError(f"{name} must be text.")
    value = value.strip()
    if "\x00" in value:
        raise RowError(f"{name} contains a NUL character.")
    if required and not value:
        raise RowError(f"{name} is required.")
    if len(value) > max_length:
        raise RowError(f"{name} is longer than {max_length} characters.")
    return value


def parse_date(value: str, *, now: datetime) -> datetime:
    if not value:
        raise RowError("published_at is required.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RowError(f"published_at {value!r} is not an ISO 8601 date and time.") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now:
        raise RowError(f"published_at {value} is in the future; schedule it in the admin instead.")
    return moment


def body_html(raw: dict) -> str:
    html = raw.get("body_html") or ""
    plain = raw.get("body") or ""
    if not isinstance(html, str) or not isinstance(plain, str):
        raise RowError("body must be text.")
    if not html and "<" in plain and ">" in plain:
        html = plain
    if html:
        # Keep only what the article body allows: no scripts, styles or event handlers.
        return EditorHTMLConverter(features=BODY_FEATURES).to_database_format(html)
    paragraphs = [part.strip() for part in plain.replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{escape(part)}</p>" for part in paragraphs if part)


def parse_record(raw: dict, *, base_dir: Path, now: datetime) -> ArticleRecord:
    title = text(raw, "title", max_length=255, required=True)
    published_at = parse_date(text(raw, "published_at", max_length=40), now=now)
    source_url = text(raw, "source_url", max_length=500)
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            raise RowError(f"source_url {source_url!r} is not an http(s) URL.") from None
    tags = as_list(raw.get("tags"), separators=";|,")
    authors = as_list(raw.get("authors"), separators=";|")
    if any(len(tag) > 100 for tag in tags):
        raise RowError("a tag is longer than 100 characters.")
    if any(len(name) > 255 for name in authors):
        raise RowError("an author name is longer than 255 characters.")
    image = text(raw, "image", max_length=500)
    image_path = None
    if image:
        image_path = (base_dir / image).resolve()
        if not image_path.is_relative_to(base_dir.resolve()):
            raise RowError(f"image {image!r} is outside the import file's folder.")
        if not image_path.is_file():
            raise RowError(f"image {image!r} not found next to the import file.")
        try:
            with PILImage.open(image_path) as picture:
                picture.verify()
        except (UnidentifiedImageError, OSError):
            raise RowError(f"image {image!r} is not a readable picture.") from None
    key = text(raw, "id", max_length=255) or text(raw, "guid", max_length=255)
    key = key or f"{slugify(title, allow_unicode=True)[:200]}@{published_at.isoformat()}"
    return ArticleRecord(
        key=key,
        title=title,
        dek=text(raw, "dek", max_length=400),
        body_html=body_html(raw),
        tags=list(dict.fromkeys(tags)),
        authors=list(dict.fromkeys(authors)),
        published_at=published_at,
        source_name=text(raw, "source_name", max_length=200),
        source_url=source_url,
        image_path=image_path,
        image_alt=text(raw, "image_alt", max_length=500),
    )


# --- Writing ---------------------------------------------------------------------------------


def staff_profile(name: str, *, staff_index: StaffIndexPage, report: ImportReport):
    profile = StaffProfilePage.objects.child_of(staff_index).filter(title__iexact=name).first()
    if profile is None:
        profile = StaffProfilePage(title=name, live=False)
        staff_index.add_child(instance=profile)
        profile.save_revision().publish()
        report.staff.append(name)
    return profile


def source_for(record: ArticleRecord, report: ImportReport) -> Source | None:
    if not record.source_name:
        return None
    origin = ""
    if record.source_url:
        parts = urlsplit(record.source_url)
        origin = f"{parts.scheme}://{parts.netloc}/"
    source, created = Source.objects.get_or_create(
        name=record.source_name, defaults={"url": origin}
    )
    if created:
        report.sources.append(source.name)
    return source


def lead_image(record: ArticleRecord, report: ImportReport) -> NewsImage | None:
    if record.image_path is None:
        return None
    with record.image_path.open("rb") as handle:
        image = NewsImage(
            title=record.title[:255],
            description=record.image_alt,
            file=File(handle, name=record.image_path.name),
        )
        image.save()
    report.images += 1
    return image


def import_record(
    record: ArticleRecord,
    *,
    section: NewsIndexPage,
    staff_index: StaffIndexPage,
    report: ImportReport,
) -> ArticlePage | None:
    if ArticlePage.objects.filter(import_key=record.key).exists():
        report.unchanged.append(record.title)
        return None
    known_tags = set(Tag.objects.filter(name__in=record.tags).values_list("name", flat=True))
    page = ArticlePage(
        title=record.title,
        dek=record.dek,
        body=[("paragraph", RichText(record.body_html))] if record.body_html else [],
        source=source_for(record, report),
        source_url=record.source_url,
        lead_image=lead_image(record, report),
        first_published_at=record.published_at,
        import_key=record.key,
        live=False,
    )
    page.bylines = [
        ArticleByline(
            profile=staff_profile(name, staff_index=staff_index, report=report), sort_order=order
        )
        for order, name in enumerate(record.authors)
    ]
    page.tags.add(*record.tags)
    section.add_child(instance=page)
    page.save_revision().publish()
    # Publishing stamps "now"; the story keeps the dates it had where it first ran.
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=record.published_at, last_published_at=record.published_at
    )
    report.articles.append(record.title)
    report.tags.extend(tag for tag in record.tags if tag not in known_tags)
    return page


def import_file(
    path: Path, *, section: NewsIndexPage, staff_index: StaffIndexPage, now=None
) -> ImportReport:
    """Import every valid row of `path`; each row commits on its own."""
    now = now or timezone.now()
    report = ImportReport()
    for label, row in read_rows(path):
        row_report = ImportReport()
        try:
            if isinstance(row, RowError):
                raise row
            record = parse_record(row, base_dir=path.parent, now=now)
            with transaction.atomic():
                import_record(record, section=section, staff_index=staff_index, report=row_report)
        except RowError as error:
            report.errors.append((label, str(error)))
            continue
        except ValidationError as error:  # a model rule the row's values break
            report.errors.append((label, " ".join(error.messages)))
            continue
        report.merge(row_report)
    return report
