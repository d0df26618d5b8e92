"""Template tags for the readership components: each makes one call into the domain."""

from django import template

from news import caching
from readership import counting
from readership.comments import CommentForm, comments_open, form_stamp
from readership.models import Comment, Reaction, reaction_counts

register = template.Library()


@register.simple_tag
def view_token(article) -> str:
    return counting.view_token(article.pk)


@register.simple_tag(takes_context=True)
def comment_stamp(context) -> str:
    """A stamp for this reader: a page served from the cache gets a new one on every hit."""
    stamp = form_stamp()
    request = context.get("request")
    if request is None:
        return stamp
    return caching.render_per_response(request, value=stamp, make="readership.comments.form_stamp")


@register.simple_tag
def comment_form(article):
    return CommentForm(article=article)


@register.simple_tag
def comments_are_open(article) -> bool:
    return comments_open(article)


@register.simple_tag
def approved_comments(article, order: str = "newest") -> list[Comment]:
    return list(Comment.objects.for_article(article.pk, oldest_first=order == "oldest"))


@register.simple_tag
def reaction_choices():
    return Reaction.Kind.choices


@register.simple_tag
def reaction_results(article, chosen: str = ""):
    """[(value, label, votes, chosen?)] for the results shown after voting."""
    counts = reaction_counts(article.pk)
    return [
        (value, label, counts[value], value == chosen) for value, label in Reaction.Kind.choices
    ]


@register.simple_tag
def most_read_articles(days: int = 1, limit: int = 5):
    return list(counting.most_read(days=days, limit=limit))
