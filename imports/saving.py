"""Writing one imported story: its page and revision, bylines, section, tags, source, lead
image, comments and redirects from its old addresses. Runs inside the item's transaction and
records in `report` only what it created; the caller merges that once the item commits."""

from datetime import UTC
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.text import slugify

from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from imports.media import image_from_file
from imports.records import ArticleRecord, Author, CommentRecord
from imports.report import ImportReport, ItemResult, Outcome
from imports.wordpress import WxrCategory
from news.models import (
    ArticleByline,
    ArticlePage,
    NewsIndexPage,
    Source,
    StaffIndexPage,
    StaffProfilePage,
)
from readership.models import Comment

SLUG_MAX = 255
REDIRECT_PATH_MAX = Redirect._meta.get_field("old_path").max_length


def already_imported(key: str) -> ArticlePage | None:
    return ArticlePage.objects.filter(import_key=key).first()


def unchanged(page: ArticlePage, *, label: str, order: int, report: ImportReport) -> ItemResult:
    report.unchanged.append(page.title)
    return ItemResult(
        label=label,
        outcome=Outcome.UNCHANGED,
        message=f"Unchanged: already imported, at {address(page)}.",
        order=order,
    )


def address(page: Page) -> str:
    """Where the page is (or will be, for a draft) on the public site."""
    return page.get_url() or page.url_path


def available_slug(parent: Page, slug: str) -> str:
    """`slug`, or `slug-2`, `slug-3`… : the first not taken by a sibling, as Wagtail itself
    numbers them."""
    slug = slug[:SLUG_MAX]
    taken = set(
        Page.objects.child_of(parent)
        .filter(slug__startswith=slug[: SLUG_MAX - 4])
        .values_list("slug", flat=True)
    )
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = slug[: SLUG_MAX - len(suffix)] + suffix
    return candidate


def bio_html(text: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n\n") if part)[:3000]


def staff_profile(
    author: Author, *, staff_index: StaffIndexPage, live: bool, report: ImportReport
) -> StaffProfilePage:
    """The profile with the author's name (or WordPress login), created when there is none:
    published for names in a JSON Lines or CSV file, a draft for a WordPress author."""
    profiles = StaffProfilePage.objects.child_of(staff_index)
    profile = profiles.filter(title__iexact=author.name).first()
    if profile is None and author.login:
        profile = (
            profiles.filter(title__iexact=author.login).first()
            or profiles.filter(slug=slugify(author.login, allow_unicode=True)).first()
        )
    if profile is not None:
        return profile
    profile = StaffProfilePage(
        title=author.name[:255],
        slug=available_slug(staff_index, slugify(author.name, allow_unicode=True) or "author"),
        bio=bio_html(author.bio),
        live=False,
    )
    staff_index.add_child(instance=profile)
    revision = profile.save_revision()
    report.staff.append(author.name)
    if live:
        revision.publish()
    else:
        report.draft_staff.append(author.name)
    return profile


def section_for(
    path: list[WxrCategory], *, top: NewsIndexPage, report: ImportReport
) -> NewsIndexPage:
    """The news section a WordPress category (with its parents) maps to, below `top`;
    sections that do not exist yet are created and published, as the category was public."""
    section = top
    for category in path:
        slug = slugify(category.nicename, allow_unicode=True) or slugify(category.name)
        children = NewsIndexPage.objects.child_of(section)
        found = (
            children.filter(slug=slug).first()
            or children.filter(title__iexact=category.name).first()
        )
        if found is None:
            found = NewsIndexPage(
                title=category.name[:255],
                slug=available_slug(section, slug or "section"),
                intro=category.description[:500],
            )
            section.add_child(instance=found)
            found.save_revision().publish()
            report.sections.append(category.name)
        section = found
    return section


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


def lead_image_id(record: ArticleRecord, report: ImportReport) -> int | None:
    if record.image_path is not None:
        image = image_from_file(record.image_path, title=record.title, alt=record.image_alt)
        report.images += 1
        return image.pk
    return record.lead_image_id


def save_comments(
    page: ArticlePage, comments: list[CommentRecord], *, report: ImportReport
) -> None:
    """Reader comments, approved or pending as they were. Ours are one level deep, so a reply
    to a reply answers the conversation's first comment."""
    by_key = {comment.key: comment for comment in comments if comment.key}

    def thread_start(comment: CommentRecord) -> CommentRecord:
        seen = {comment.key}
        while comment.parent_key in by_key and comment.parent_key not in seen:
            comment = by_key[comment.parent_key]
            seen.add(comment.key)
        return comment

    saved: dict[str, Comment] = {}
    starts_first = sorted(comments, key=lambda comment: thread_start(comment) is not comment)
    for comment in starts_first:
        start = thread_start(comment)
        saved_comment = Comment.objects.create(
            article=page,
            parent=saved.get(start.key) if start is not comment else None,
            name=comment.name,
            email=comment.email,
            body=comment.body,
            status=Comment.Status.APPROVED if comment.approved else Comment.Status.PENDING,
            created_at=comment.created_at,
        )
        if comment.key:
            saved[comment.key] = saved_comment
        if comment.approved:
            report.comments_approved += 1
        else:
            report.comments_pending += 1


def save_redirects(page: ArticlePage, old_paths: list[str], *, notes: list[str]) -> int:
    """A permanent redirect from each old address to the page, through Wagtail's redirects;
    an address that already redirects somewhere is left as it is."""
    site = page.get_site()
    own_path = Redirect.normalise_path(page.get_url_parts()[2] if page.get_url_parts() else "")
    created = 0
    for old_path in old_paths:
        normalised = Redirect.normalise_path(old_path)
        if normalised in ("/", own_path):
            continue
        if len(normalised) > REDIRECT_PATH_MAX:
            notes.append(f"No redirect from {old_path[:80]}…: the address is too long.")
            continue
        existing = Redirect.get_for_site(site).filter(old_path=normalised).first()
        if existing is not None:
            if existing.redirect_page_id != page.pk:
                notes.append(
                    f"The old address {old_path} already redirects to {existing.link}; "
                    "left as it was."
                )
            continue
        Redirect.add_redirect(normalised, redirect_to=page, is_permanent=True, site=site)
        created += 1
    return created


def save_article(
    record: ArticleRecord,
    *,
    parent: NewsIndexPage,
    staff_index: StaffIndexPage,
    label: str,
    order: int = 0,
    report: ImportReport,
) -> ItemResult:
    if (existing := already_imported(record.key)) is not None:
        return unchanged(existing, label=label, order=order, report=report)
    notes = list(record.notes)
    known_tags = set(Tag.objects.filter(name__in=record.tags).values_list("name", flat=True))
    page = ArticlePage(
        title=record.title,
        dek=record.dek,
        body=record.body,
        source=source_for(record, report),
        source_url=record.source_url,
        lead_image_id=lead_image_id(record, report),
        first_published_at=record.published_at,
        go_live_at=record.go_live_at,
        comments_enabled=record.comments_enabled,
        import_key=record.key,
        live=False,
    )
    if record.slug:
        page.slug = available_slug(parent, record.slug)
        if page.slug != record.slug:
            notes.append(
                f"Its WordPress address name “{record.slug}” is taken in {parent.title}, "
                f"so it is “{page.slug}”."
            )
    page.bylines = [
        ArticleByline(
            profile=staff_profile(
                author, staff_index=staff_index, live=record.new_profiles_live, report=report
            ),
            sort_order=order_in_byline,
        )
        for order_in_byline, author in enumerate(record.authors)
    ]
    page.tags.add(*record.tags)
    parent.add_child(instance=page)
    revision = page.save_revision()
    if record.live:
        revision.publish()
        # Publishing stamps "now"; the story keeps the dates it had where it first ran.
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=record.published_at, last_published_at=record.published_at
        )
    save_comments(page, record.comments, report=report)
    if record.live:
        report.redirects += save_redirects(page, record.old_paths, notes=notes)
    report.articles.append(record.title)
    report.tags.extend(tag for tag in record.tags if tag not in known_tags)
    if record.live:
        message = (
            f"Imported and published with its original date, "
            f"{record.published_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC, at {address(page)}"
        )
        outcome = Outcome.PUBLISHED
    else:
        report.drafts.append(record.title)
        message = f"Imported as a draft: {record.draft_reason}"
        outcome = Outcome.DRAFT
    return ItemResult(
        label=label, outcome=outcome, message=message.rstrip(".") + ".", notes=notes, order=order
    )
