"""`LiveBlogPosting` JSON-LD for a live page: the coverage times and its most recent updates as
`BlogPosting`s (schema.org's `liveBlogUpdate`), built from the article's own pieces."""

from news.sites import absolute_url
from news.structured_data import (
    ARTICLE_IMAGE_SPECS,
    SCHEMA,
    author,
    image_objects,
    iso,
    publisher,
    publisher_language,
)

# Search engines read the newest updates; the whole history is on the page and in the feeds.
RECENT_UPDATES = 10


def live_blog_update(entry, *, page, request) -> dict:
    data = {
        "@type": "BlogPosting",
        "headline": entry.headline or page.title[:110],
        "url": absolute_url(request, entry.permalink_path()),
        "datePublished": iso(entry.published_at),
        "dateModified": iso(entry.corrected_at or entry.published_at),
        "articleBody": entry.text(),
    }
    authors = [author(profile, request=request) for profile in entry.authors.all()]
    if authors:
        data["author"] = authors
    if entry.is_corrected:
        data["correction"] = {
            "@type": "CorrectionComment",
            "text": entry.correction_note,
            "datePublished": iso(entry.corrected_at),
        }
    return data


def live_blog_posting(page, *, request) -> dict:
    url = page.get_full_url(request)
    recent = list(page.entries.exclude(state="deleted").newest_first()[:RECENT_UPDATES])
    for entry in recent:
        entry.page = page  # permalinks without a query each
    modified = max(
        d
        for d in (
            page.last_published_at,
            page.coverage_start,
            *(entry.corrected_at or entry.published_at for entry in recent),
        )
        if d
    )
    data = {
        "@context": SCHEMA,
        "@type": "LiveBlogPosting",
        "headline": page.title[:110],
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(page.first_published_at or page.coverage_start),
        "dateModified": iso(modified),
        "coverageStartTime": iso(page.coverage_start),
        "author": [author(profile, request=request) for profile in page.byline_profiles],
        "publisher": publisher(request=request),
        "inLanguage": publisher_language(request),
        "liveBlogUpdate": [live_blog_update(entry, page=page, request=request) for entry in recent],
    }
    if page.coverage_end:
        data["coverageEndTime"] = iso(page.coverage_end)
    if page.meta_description:
        data["description"] = page.meta_description
    if page.lead_image:
        data["image"] = image_objects(page.lead_image, ARTICLE_IMAGE_SPECS, request=request)
    return data
