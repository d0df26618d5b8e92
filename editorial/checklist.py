"""What an article needs before it may be published: the publication checklist."""

from django.db import models


def missing_items(article: models.Model) -> list[str]:
    """Everything the article still lacks, in the order an editor would fix it; empty when ready.

    Works on a page or on a revision's object (`revision.as_object()`), whose tags and bylines
    live in memory rather than in the database.
    """
    missing = []
    if not (article.dek or "").strip():
        missing.append("A dek (the sentence under the headline).")
    image = article.lead_image
    if image is None:
        missing.append("A lead image.")
    elif not (image.description or "").strip():
        missing.append(f"Alt text for the lead image “{image.title}”.")
    if not list(article.tags.all()):
        missing.append("At least one tag.")
    if not [byline for byline in article.bylines.all() if byline.profile_id]:
        missing.append("At least one byline.")
    if article.is_aggregated and not (article.source_url or "").strip():
        missing.append("A source link (the story is marked as aggregated).")
    return missing
