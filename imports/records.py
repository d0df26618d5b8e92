"""One story as the importer understands it, whatever file it came from, and the rules a JSON
Lines or CSV row must pass to become one."""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from imports.blocks import BODY_FEATURES


class ImportFileError(Exception):
    """The file as a whole cannot be read (unknown format, not XML): nothing was imported."""


class RowError(Exception):
    """One row is invalid; it is skipped and the import goes on."""


@dataclass
class Author:
    """A byline as the file gives it: a display name, and for WordPress the login and bio."""

    name: str
    login: str = ""
    bio: str = ""


@dataclass
class CommentRecord:
    """A reader's comment from the export, already plain text."""

    key: str
    parent_key: str
    name: str
    email: str
    body: str
    created_at: datetime
    approved: bool


@dataclass
class ArticleRecord:
    key: str
    title: str
    dek: str
    body: list[dict]  # raw data of the article body's StreamField
    tags: list[str]
    authors: list[Author]
    published_at: datetime | None
    source_name: str = ""
    source_url: str = ""
    image_path: Path | None = None  # a picture next to the import file (JSON Lines, CSV)
    image_alt: str = ""
    lead_image_id: int | None = None  # an image already imported (WordPress featured image)
    slug: str = ""
    live: bool = True
    draft_reason: str = ""  # why it is imported as a draft, in an editor's words
    go_live_at: datetime | None = None
    comments_enabled: bool = True
    comments: list[CommentRecord] = field(default_factory=list)
    old_paths: list[str] = field(default_factory=list)  # where readers found it before
    notes: list[str] = field(default_factory=list)
    # Profiles a WordPress export names are created as drafts for an editor to complete;
    # names in JSON Lines or CSV are published, as they always were.
    new_profiles_live: bool = True


# --- Validating one JSON Lines or CSV row --------------------------------------------------------


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


def verified_picture(base_dir: Path, image: str) -> Path:
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
    return image_path


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
    image_path = verified_picture(base_dir, image) if image else None
    key = text(raw, "id", max_length=255) or text(raw, "guid", max_length=255)
    key = key or f"{slugify(title, allow_unicode=True)[:200]}@{published_at.isoformat()}"
    html = body_html(raw)
    return ArticleRecord(
        key=key,
        title=title,
        dek=text(raw, "dek", max_length=400),
        body=[{"type": "paragraph", "value": html}] if html else [],
        tags=list(dict.fromkeys(tags)),
        authors=[Author(name=name) for name in dict.fromkeys(authors)],
        published_at=published_at,
        source_name=text(raw, "source_name", max_length=200),
        source_url=source_url,
        image_path=image_path,
        image_alt=text(raw, "image_alt", max_length=500),
    )
