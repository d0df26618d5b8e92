"""Schema.org structured data for search engines: NewsArticle (with its page's BreadcrumbList),
Person, WebSite.

Each function returns a plain dict; templates emit it with the `ld_json` filter, which escapes
it like Django's `json_script`.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from news.sites import absolute_url, origin_for_request

SCHEMA = "https://schema.org"
# Google asks for images at least 1,200 px wide, in 16:9, 4:3 and 1:1; our sources are landscape.
ARTICLE_IMAGE_SPECS = ("fill-1200x675|format-jpeg", "fill-1200x900|format-jpeg")
LOGO_SPEC = "max-600x60|format-png"
STATIC_LOGO = ("img/logo.png", 600, 60)


def iso(value) -> str | None:
    """A timestamp in the newsroom's time zone, with its offset (e.g. 2026-11-25T09:00:00+00:00)."""
    return timezone.localtime(value).isoformat() if value else None


def site_root(request) -> str:
    return origin_for_request(request) + "/"


def image_objects(image, specs, *, request) -> list[dict]:
    renditions = image.get_renditions(*specs)
    return [
        {
            "@type": "ImageObject",
            "url": absolute_url(request, renditions[spec].url),
            "width": renditions[spec].width,
            "height": renditions[spec].height,
        }
        for spec in specs
    ]


def publisher(*, request) -> dict:
    from news.models import NewsroomSettings

    newsroom = NewsroomSettings.for_request(request)
    if newsroom.logo:
        logo = image_objects(newsroom.logo, [LOGO_SPEC], request=request)[0]
    else:
        path, width, height = STATIC_LOGO
        logo = {
            "@type": "ImageObject",
            "url": absolute_url(request, static(path)),
            "width": width,
            "height": height,
        }
    return {
        "@type": "NewsMediaOrganization",
        "name": newsroom.name,
        "url": site_root(request),
        "logo": logo,
    }


def breadcrumb_list(page, *, request) -> dict:
    """The trail the page shows above a story: home, its sections, the story itself."""
    crumbs = [*page.breadcrumbs, page]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": "Home" if position == 1 else crumb.title,
                "item": crumb.get_full_url(request),
            }
            for position, crumb in enumerate(crumbs, start=1)
        ],
    }


def author(profile, *, request) -> dict:
    data = {"@type": "Person", "name": profile.title}
    if profile.live:  # a draft profile has no page to point to
        data["url"] = profile.get_full_url(request)
    if profile.role:
        data["jobTitle"] = profile.role
    return data


def news_article(page, *, request) -> dict:
    """`NewsArticle` for an article page; `page` should have its images prefetched."""
    url = page.get_full_url(request)
    modified = max(d for d in (page.last_published_at, page.updated_at, page.shown_date) if d)
    data = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "url": url,
        "mainEntityOfPage": {
            "@type": "WebPage",
            "@id": page.canonical_url or url,
            "breadcrumb": breadcrumb_list(page, request=request),
        },
        "datePublished": iso(page.shown_date),
        "dateModified": iso(modified),
        "author": [author(profile, request=request) for profile in page.byline_profiles],
        "publisher": publisher(request=request),
        "inLanguage": publisher_language(request),
    }
    if page.meta_description:
        data["description"] = page.meta_description
    if page.share_image:
        data["image"] = image_objects(page.share_image, ARTICLE_IMAGE_SPECS, request=request)
    if page.tag_list:
        data["keywords"] = [tag.name for tag in page.tag_list]
    section = page.section
    if section is not None and section.depth > 2:
        data["articleSection"] = section.title
    if page.source_id:
        based_on = {"@type": "CreativeWork", "publisher": {"@type": "Organization"}}
        based_on["publisher"]["name"] = page.source.name
        if page.source.url:
            based_on["publisher"]["url"] = page.source.url
        if page.source_url:
            based_on["url"] = page.source_url
        data["isBasedOn"] = based_on
    elif page.source_url:
        data["isBasedOn"] = page.source_url
    if page.correction_list:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.note,
                "datePublished": iso(correction.corrected_at),
            }
            for correction in page.correction_list
        ]
    return data


def person(profile, *, request) -> dict:
    """`Person` for a staff profile (the author archive)."""
    data = {"@context": SCHEMA, **author(profile, request=request)}
    bio = strip_tags(profile.bio).strip()
    if bio:
        data["description"] = bio
    if profile.photo:
        data["image"] = image_objects(profile.photo, ["fill-400x400|format-jpeg"], request=request)[
            0
        ]
    same_as = [profile.website, profile.mastodon_url]
    if profile.x_handle:
        same_as.append(f"https://x.com/{profile.x_handle.lstrip('@')}")
    if any(same_as):
        data["sameAs"] = [link for link in same_as if link]
    data["worksFor"] = publisher(request=request)
    return data


def website(home, *, request) -> dict:
    """`WebSite` with a `SearchAction`, for the front page."""
    search_url = absolute_url(request, reverse("search"))
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": publisher(request=request)["name"],
        "url": home.get_full_url(request),
        "inLanguage": publisher_language(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{search_term}}"},
            "query-input": "required name=search_term",
        },
        "publisher": publisher(request=request),
    }


def publisher_language(request) -> str:
    from news.models import NewsroomSettings

    return NewsroomSettings.for_request(request).language
