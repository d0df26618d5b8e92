"""Reading a WordPress export (WXR) and saying what each of its items is for us.

Exports differ in the wild: WXR 1.0, 1.1 and 1.2, namespaces written with `http://` or
`https://`, authors listed (1.1+) or only named on posts (1.0), tags in the `post_tag` or `tag`
domain. Elements are matched by the role of their namespace (any `wordpress.org/export/1.x/`
is `wp:`), never by one exact URI.

The file is read twice as a stream (`iterparse`), so memory stays flat however long the
archive is: the first pass checks the whole file is well-formed XML and collects what posts
refer to (authors, categories, media, reusable blocks) before anything is imported, so a
truncated or malformed export imports nothing; the second yields one item at a time.
defusedxml refuses entity declarations (the "billion laughs" bomb) and external references.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.text import slugify

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from imports import blocks
from imports.media import Attachment, MediaLibrary, is_image_address
from imports.models import ImportedImage
from imports.records import ArticleRecord, Author, CommentRecord, ImportFileError, RowError

WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/$")
WP_EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/excerpt/$")
CONTENT_NAMESPACE = re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/?$")
DC_NAMESPACE = re.compile(r"^https?://purl\.org/dc/elements/1\.1/?$")
WP_DATE = "%Y-%m-%d %H:%M:%S"
NO_DATE = "0000-00-00 00:00:00"
MAX_ITEM_CHARACTERS = 5_000_000
TITLE_MAX = 255
DEK_MAX = 400
SOURCE_URL_MAX = 500
UNCATEGORIZED = {"uncategorized", "uncategorised"}

DRAFT_STATUSES = {
    "draft": "it was a draft in WordPress",
    "pending": "it was waiting for review in WordPress",
    "private": "it was private in WordPress (only its editors could read it)",
}
SKIPPED_STATUSES = {
    "trash": "Skipped: it was in WordPress's trash.",
    "auto-draft": "Skipped: an empty draft WordPress saves on its own before anyone writes.",
    "inherit": "Skipped: a saved revision of another post.",
}
OTHER_POST_TYPES = {
    "page": "Skipped: a WordPress page (such as “About us”), not a story; recreate it in the "
    "admin if you need it.",
    "nav_menu_item": "Skipped: a menu entry.",
    "wp_navigation": "Skipped: a navigation menu.",
    "wp_block": "Skipped: a reusable block; its content is kept in the stories that use it.",
    "wp_template": "Skipped: a theme template.",
    "wp_template_part": "Skipped: a theme template.",
    "wp_global_styles": "Skipped: theme styles.",
    "custom_css": "Skipped: theme styles.",
    "revision": "Skipped: a saved revision of another post.",
}


def qualified(tag: str) -> str:
    """`wp:post_type`, `content:encoded`, `excerpt:encoded`, `dc:creator`, or the plain RSS name."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if WP_NAMESPACE.match(uri):
        return f"wp:{local}"
    if WP_EXCERPT_NAMESPACE.match(uri):
        return f"excerpt:{local}"
    if CONTENT_NAMESPACE.match(uri):
        return f"content:{local}"
    if DC_NAMESPACE.match(uri):
        return f"dc:{local}"
    return tag


@dataclass
class WxrItem:
    """One `<item>` of the export, its elements by qualified name."""

    number: int
    fields: dict[str, str] = field(default_factory=dict)
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # domain, nicename, name
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[dict[str, str]] = field(default_factory=list)

    def get(self, name: str) -> str:
        return (self.fields.get(name) or "").strip()

    @property
    def title(self) -> str:
        return blocks.plain_text(self.get("title"))

    @property
    def label(self) -> str:
        title = self.title
        return f"item {self.number}" + (f" ({title[:60]})" if title else "")

    @property
    def post_type(self) -> str:
        return self.get("wp:post_type") or "post"


@dataclass
class WxrAuthor:
    login: str
    display_name: str
    bio: str


@dataclass
class WxrCategory:
    nicename: str
    name: str
    parent: str
    description: str


@dataclass
class WxrChannel:
    """What the export says about the site, and what posts refer to."""

    title: str = ""
    link: str = ""
    base_blog_url: str = ""
    authors: dict[str, WxrAuthor] = field(default_factory=dict)
    categories: dict[str, WxrCategory] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    attachment_items: list[WxrItem] = field(default_factory=list)
    reusable_blocks: dict[str, str] = field(default_factory=dict)
    item_count: int = 0

    @property
    def base_url(self) -> str:
        return (self.base_blog_url or self.link).rstrip("/")

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path.rstrip("/")

    def category_path(self, nicename: str) -> list[WxrCategory]:
        """The category and its parents, outermost first (a loop in the parents ends it)."""
        path: list[WxrCategory] = []
        while nicename and nicename not in {category.nicename for category in path}:
            category = self.categories.get(nicename)
            if category is None:
                break
            path.insert(0, category)
            nicename = category.parent
        return path


# --- Reading ---------------------------------------------------------------------------------


def _ending_elements(path: Path):
    """(qualified name, element, ancestors) as each element ends; an item's children are
    complete then. Finished channel-level elements are dropped, so memory stays flat."""
    ancestors: list = []
    try:
        for event, element in ElementTree.iterparse(str(path), events=("start", "end")):
            if event == "start":
                ancestors.append(element)
                continue
            ancestors.pop()
            yield qualified(element.tag), element, ancestors
            if len(ancestors) == 2:
                element.clear()
                ancestors[-1].remove(element)
    except DefusedXmlException as error:
        raise ImportFileError(
            f"{path.name}: not a readable WordPress export (it declares XML entities or "
            f"external references, which we never expand: {error})."
        ) from None
    except ElementTree.ParseError as error:
        raise ImportFileError(
            f"{path.name}: not a readable WordPress export (broken XML: {error}). "
            "Nothing was imported; export it again from WordPress."
        ) from None


def _children(element) -> dict[str, str]:
    values: dict[str, str] = {}
    for child in element:
        values.setdefault(qualified(child.tag), child.text or "")
    return values


def _item(element, number: int) -> WxrItem:
    item = WxrItem(number=number)
    for child in element:
        name = qualified(child.tag)
        if name == "wp:postmeta":
            meta = _children(child)
            item.meta.setdefault(meta.get("wp:meta_key", ""), meta.get("wp:meta_value", ""))
        elif name == "wp:comment":
            item.comments.append(_children(child))
        elif name == "category":
            item.terms.append(
                (child.get("domain", ""), child.get("nicename", ""), (child.text or "").strip())
            )
        else:
            item.fields.setdefault(name, child.text or "")
    return item


def scan(path: Path) -> WxrChannel:
    """The first pass: the whole file must be a well-formed WordPress export."""
    channel = WxrChannel()
    seen_root = seen_channel = seen_wordpress = False
    for name, element, ancestors in _ending_elements(path):
        depth = len(ancestors)
        seen_wordpress = seen_wordpress or name.startswith("wp:")
        if depth == 0:
            seen_root = name == "rss"
        elif depth == 1 and name == "channel":
            seen_channel = True
        elif depth == 2 and ancestors[-1].tag == "channel":
            if name == "item":
                channel.item_count += 1
                _note_item(channel, _item(element, channel.item_count))
            elif name == "wp:author":
                values = _children(element)
                login = values.get("wp:author_login", "").strip()
                channel.authors[login] = WxrAuthor(
                    login=login,
                    display_name=blocks.plain_text(values.get("wp:author_display_name", "")),
                    bio=blocks.paragraphs_of_text(values.get("wp:author_description", "")),
                )
            elif name == "wp:category":
                values = _children(element)
                nicename = values.get("wp:category_nicename", "").strip()
                channel.categories[nicename] = WxrCategory(
                    nicename=nicename,
                    name=blocks.plain_text(values.get("wp:cat_name", "")) or nicename,
                    parent=values.get("wp:category_parent", "").strip(),
                    description=blocks.plain_text(values.get("wp:category_description", "")),
                )
            elif name in ("title", "link", "wp:base_blog_url"):
                setattr(channel, name.removeprefix("wp:"), (element.text or "").strip())
    if not (seen_root and seen_channel):
        raise ImportFileError(f"{path.name}: no <rss><channel>; not a WordPress export.")
    if not seen_wordpress:
        raise ImportFileError(
            f"{path.name}: no WordPress export elements (wordpress.org/export/1.x); "
            "not a WordPress export."
        )
    return channel


def _note_item(channel: WxrChannel, item: WxrItem) -> None:
    post_id = item.get("wp:post_id")
    if item.post_type == "attachment":
        channel.attachment_items.append(item)
        channel.attachments[post_id] = Attachment(
            post_id=post_id,
            url=item.get("wp:attachment_url") or item.get("guid"),
            title=item.title,
            alt_text=blocks.plain_text(item.meta.get("_wp_attachment_image_alt", "")),
            caption=blocks.plain_text(item.fields.get("excerpt:encoded", "")),
        )
    elif item.post_type == "wp_block" and post_id:
        channel.reusable_blocks[post_id] = item.fields.get("content:encoded", "")


def items(path: Path) -> Iterator[WxrItem]:
    """The second pass: every item, one at a time, in the file's order."""
    number = 0
    for name, element, ancestors in _ending_elements(path):
        if name == "item" and len(ancestors) == 2:
            number += 1
            yield _item(element, number)


# --- What an item is for us ------------------------------------------------------------------


@dataclass
class Story:
    record: ArticleRecord
    categories: list[list[WxrCategory]]  # each category with its parents, outermost first


def parse_wp_date(value: str, *, utc: bool) -> datetime | None:
    value = value.strip()
    if not value or value == NO_DATE:
        return None
    try:
        moment = datetime.strptime(value, WP_DATE)
    except ValueError:
        raise RowError(
            f"its date {value!r} is not a date and time as WordPress writes them "
            "(2024-02-05 15:53:10)."
        ) from None
    return moment.replace(tzinfo=UTC) if utc else timezone.make_aware(moment)


def item_key(item: WxrItem, channel: WxrChannel) -> str:
    """What identifies the post across imports: its guid, else the site's address and its id
    (which is what WordPress writes as a guid)."""
    post_id = item.get("wp:post_id")
    return item.get("guid") or (f"{channel.base_url}/?p={post_id}" if post_id else "")


def story(
    item: WxrItem,
    *,
    channel: WxrChannel,
    media: MediaLibrary,
    categories_as: str,
    now: datetime,
) -> Story:
    """The article a WordPress post becomes, or a RowError saying why it cannot be one."""
    title = item.title
    if not title:
        raise RowError("it has no title; give it one in WordPress and export again.")
    if len(title) > TITLE_MAX:
        raise RowError(f"its title is longer than {TITLE_MAX} characters.")
    key = item_key(item, channel)
    if not key:
        raise RowError("it has neither a <guid> nor a post id, so a second import could not "
                       "recognise it.")  # fmt: skip
    if len(key) > 255:
        raise RowError("its <guid> is longer than 255 characters.")
    content = item.fields.get("content:encoded", "")
    if len(content) > MAX_ITEM_CHARACTERS:
        raise RowError(
            f"its content is {len(content) / 1_000_000:.1f} million characters, more than a "
            f"story can hold ({MAX_ITEM_CHARACTERS / 1_000_000:.0f} million)."
        )
    if "\x00" in content or "\x00" in title:
        raise RowError("it contains a NUL character.")

    record = ArticleRecord(
        key=key,
        title=title,
        dek="",
        body=[],
        tags=[],
        authors=[],
        published_at=None,
        new_profiles_live=False,
    )
    _status(item, record, now=now)
    record.slug = _slug(item, title)
    record.dek = _dek(item, record)

    conversion = blocks.convert(
        content,
        images=media.image_for,
        base_url=channel.base_url,
        footnotes=item.meta.get("footnotes", ""),
        reusable_blocks=channel.reusable_blocks,
    )
    record.body = conversion.body
    record.notes += conversion.notes

    if thumbnail := item.meta.get("_thumbnail_id", "").strip():
        lookup = media.image_for(attachment_id=thumbnail)
        if lookup.image_id is None:
            record.notes.append(lookup.problem.replace("Image", "Featured image", 1))
        record.lead_image_id = lookup.image_id

    login = blocks.plain_text(item.get("dc:creator"))
    if login:
        author = channel.authors.get(login)
        record.authors = [
            Author(
                name=(author.display_name if author else "") or login,
                login=login,
                bio=author.bio if author else "",
            )
        ]

    tags = [
        name
        for domain, _nicename, name in item.terms
        if domain in ("post_tag", "tag") and blocks.plain_text(name)
    ]
    categories = _categories(item, channel)
    sections: list[list[WxrCategory]] = []
    if categories_as == "tags":
        tags += [path[-1].name for path in categories]
    elif categories:
        sections = categories[:1]
        if len(categories) > 1:
            others = [path[-1].name for path in categories[1:]]
            tags += others
            record.notes.append(
                f"A story lives in one section: it is in “{categories[0][-1].name}”; its other "
                f"categories became tags ({', '.join(others)})."
            )
    tags = [blocks.plain_text(tag) for tag in tags]
    if any(len(tag) > 100 for tag in tags):
        raise RowError("a tag or category name is longer than 100 characters.")
    record.tags = list(dict.fromkeys(tag for tag in tags if tag))

    record.source_name = blocks.plain_text(item.meta.get("source_name", ""))[:200]
    source_url = item.meta.get("source_url", "").strip()
    if urlsplit(source_url).scheme in ("http", "https") and len(source_url) <= SOURCE_URL_MAX:
        record.source_url = source_url
    elif source_url:
        record.notes.append(
            f"Its source link was left out: not a web address of at most {SOURCE_URL_MAX} "
            "characters."
        )
    record.comments_enabled = item.get("wp:comment_status") != "closed"
    record.comments = _comments(item, record)
    if record.live:
        record.old_paths = _old_paths(item, channel)
    return Story(record=record, categories=sections)


def _status(item: WxrItem, record: ArticleRecord, *, now: datetime) -> None:
    status = item.get("wp:status")
    published = parse_wp_date(item.get("wp:post_date_gmt"), utc=True)
    if published is None and item.get("wp:post_date") not in ("", NO_DATE):
        published = parse_wp_date(item.get("wp:post_date"), utc=False)
        if status in ("publish", "future"):
            record.notes.append(
                f"The export gives no GMT time: its local time was read as {settings.TIME_ZONE}."
            )
    if item.get("wp:post_password"):
        record.live = False
        record.draft_reason = (
            "it was password-protected in WordPress. The password was not imported: decide "
            "who may read it before publishing"
        )
    elif status == "publish" and published is not None and published > now:
        record.live, record.go_live_at = False, published
        record.draft_reason = (
            f"WordPress dates it in the future ({published:%Y-%m-%d %H:%M} UTC), kept as its "
            "go-live time; publish it in the admin to schedule it"
        )
    elif status == "publish":
        if published is None:
            raise RowError("it was published in WordPress, but the export gives no date.")
        record.published_at = published
        return
    elif status == "future":
        record.live = False
        if published is not None and published > now:
            record.go_live_at = published
            record.draft_reason = (
                f"it was scheduled in WordPress for {published:%Y-%m-%d %H:%M} UTC, kept as "
                "its go-live time; publish it in the admin to schedule it"
            )
        else:
            record.draft_reason = (
                "it was scheduled in WordPress for a time that has passed; publish it in the "
                "admin when it is ready"
            )
    elif status in DRAFT_STATUSES:
        record.live = False
        record.draft_reason = DRAFT_STATUSES[status]
    else:
        record.live = False
        record.draft_reason = (
            f"WordPress gives it the status {status!r}, so it may never have been public"
            if status
            else "the export gives it no status, so it may never have been public"
        )
    record.published_at = None


def _slug(item: WxrItem, title: str) -> str:
    name = unquote(item.get("wp:post_name"))
    slug = slugify(name, allow_unicode=True) or slugify(title, allow_unicode=True)
    return (slug or f"post-{item.get('wp:post_id') or item.number}")[:255]


def _dek(item: WxrItem, record: ArticleRecord) -> str:
    excerpt = blocks.plain_text(item.fields.get("excerpt:encoded", ""))
    if len(excerpt) > DEK_MAX:
        record.notes.append(
            f"Its excerpt was longer than a dek can be ({DEK_MAX} characters) and was shortened."
        )
    return blocks.shorten(excerpt, DEK_MAX)


def _categories(item: WxrItem, channel: WxrChannel) -> list[list[WxrCategory]]:
    """The post's categories (WordPress's "Uncategorized" is none), each with its parents."""
    paths = []
    for domain, nicename, name in item.terms:
        if domain != "category" and not (domain == "" and not nicename):
            continue
        if domain == "" and any(d == "category" for d, _n, _m in item.terms):
            continue  # WXR 1.0 names each category twice: once with its domain, once without
        nicename = nicename or slugify(name)
        if nicename in UNCATEGORIZED or not nicename:
            continue
        path = channel.category_path(nicename) or [
            WxrCategory(nicename=nicename, name=blocks.plain_text(name), parent="", description="")
        ]
        if path not in paths:
            paths.append(path)
    return paths


def _comments(item: WxrItem, record: ArticleRecord) -> list[CommentRecord]:
    comments = []
    left_out = {"spam": 0, "trash": 0, "pingback": 0, "empty": 0}
    for raw in item.comments:
        approved = raw.get("wp:comment_approved", "").strip()
        kind = raw.get("wp:comment_type", "").strip()
        if kind not in ("", "comment"):
            left_out["pingback"] += 1
            continue
        if approved == "spam":
            left_out["spam"] += 1
            continue
        if approved not in ("0", "1"):
            left_out["trash"] += 1
            continue
        body = blocks.paragraphs_of_text(raw.get("wp:comment_content", ""))[:3000]
        if not body:
            left_out["empty"] += 1
            continue
        email = raw.get("wp:comment_author_email", "").strip()
        try:
            EmailValidator()(email)
        except ValidationError:
            email = ""
        created = parse_wp_date(raw.get("wp:comment_date_gmt", ""), utc=True) or parse_wp_date(
            raw.get("wp:comment_date", ""), utc=False
        )
        comments.append(
            CommentRecord(
                key=raw.get("wp:comment_id", "").strip(),
                parent_key=raw.get("wp:comment_parent", "").strip(),
                name=(blocks.plain_text(raw.get("wp:comment_author", "")) or "Anonymous")[:80],
                email=email,
                body=body,
                created_at=created or timezone.now(),
                approved=approved == "1",
            )
        )
    for reason, sentence in (
        ("spam", "marked as spam in WordPress"),
        ("trash", "in WordPress's comment trash"),
        ("pingback", "pingbacks or trackbacks from other sites, not readers' comments"),
        ("empty", "empty"),
    ):
        if left_out[reason]:
            record.notes.append(f"Comments left out: {left_out[reason]}, {sentence}.")
    return comments


def _old_paths(item: WxrItem, channel: WxrChannel) -> list[str]:
    """Where readers found the post on the WordPress site: its permalink, the date-based
    address (`/2024/02/slug/`) and WordPress's own `?p=ID`."""
    paths = []
    if link := item.get("link"):
        parts = urlsplit(link)
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    local_date = item.get("wp:post_date")
    post_name = item.get("wp:post_name")
    if post_name and local_date[:4].isdigit() and local_date[:4] != "0000":
        paths.append(f"{channel.base_path}/{local_date[:4]}/{local_date[5:7]}/{post_name}/")
    if (post_id := item.get("wp:post_id")).isdigit():
        paths.append(f"{channel.base_path}/?p={post_id}")
    return list(dict.fromkeys(path for path in paths if path.strip("/")))


def attachment_outcome(item: WxrItem, *, media: MediaLibrary) -> tuple[str, list[str]]:
    """What became of a media library item: (message, notes)."""
    attachment = media.attachments.get(item.get("wp:post_id"))
    url = attachment.url if attachment else item.get("wp:attachment_url")
    if not url or not is_image_address(url):
        return (
            "Skipped: an attachment that is not an image"
            + (f"; stories that use it link to {url}" if url else "")
            + ".",
            [],
        )
    known = ImportedImage.objects.filter(source_url=url).exists()
    lookup = media.image_for(attachment_id=item.get("wp:post_id"), url=url)
    if lookup.image_id is None:
        return f"Skipped: an attachment. {lookup.problem}", []
    if known:
        return "Unchanged: an attachment, already imported as an image.", []
    return "Skipped: an attachment, imported as an image.", []
