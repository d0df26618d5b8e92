"""Reader comments: when they are open, and taking one in (spam checks, moderation status)."""

import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.core import signing
from django.utils import timezone

from news.models import ArticlePage
from news.purging import purge_article_page
from ops.counters import counters
from readership import conf
from readership.models import Comment

STAMP_SALT = "readership.comment-form"
# Anything that looks like markup: an opening or closing tag, a comment, or a declaration.
HTML_TAG = re.compile(r"<\s*[/!?]?\s*[a-zA-Z]")


def comments_open(article: ArticlePage, *, now=None) -> bool:
    """Open unless the article turned them off or is older than the closing age."""
    if not article.comments_enabled:
        return False
    days = conf.comments_close_after_days()
    published = article.first_published_at
    if days and published:
        return (now or timezone.now()) < published + timedelta(days=days)
    return True


def form_stamp(*, now: float | None = None) -> str:
    """A signed render time and a random id: the form cannot be posted sooner than a person
    could type, and each stamp takes one comment (`claim_stamp`)."""
    rendered = int(now if now is not None else time.time())
    return signing.dumps({"t": rendered, "n": secrets.token_urlsafe(12)}, salt=STAMP_SALT)


def claim_stamp(stamp_id: str) -> bool:
    """Use a stamp up: True the first time, False after (until it would have expired anyway).
    Raises one of REDIS_FAILURES when Redis cannot be asked."""
    return bool(
        counters().set(f"comment-stamp:{stamp_id}", 1, nx=True, ex=conf.comment_form_max_age() + 60)
    )


def plain_text(value: str) -> str:
    if HTML_TAG.search(value):
        raise forms.ValidationError(
            "Comments are plain text: HTML tags are not allowed.", code="html"
        )
    return value


def visible_name(value: str) -> str:
    """A name shows as what it is: no invisible format characters (bidi overrides and
    isolates that reorder what follows, zero-width spaces and joiners that make two names look
    alike)."""
    if any(unicodedata.category(char) == "Cf" for char in value):
        raise forms.ValidationError(
            "Names cannot contain invisible or text-direction characters.", code="invisible"
        )
    return value


class CommentForm(forms.Form):
    name = forms.CharField(max_length=Comment.NAME_MAX, strip=True)
    email = forms.EmailField(
        required=False, max_length=254, help_text="Optional. Never shown to readers."
    )
    body = forms.CharField(
        label="Comment", max_length=Comment.BODY_MAX, min_length=2, widget=forms.Textarea
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # The honeypot: hidden from people (and assistive technology); bots fill it in.
    website = forms.CharField(required=False, max_length=200)
    stamp = forms.CharField(max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, article: ArticlePage, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article

    def clean_name(self):
        return visible_name(plain_text(self.cleaned_data["name"]))

    def clean_body(self):
        return plain_text(self.cleaned_data["body"])

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError("Your comment looks automated.", code="honeypot")
        return ""

    def clean_stamp(self):
        try:
            rendered = signing.loads(self.cleaned_data["stamp"], salt=STAMP_SALT)
        except signing.BadSignature:
            raise forms.ValidationError("This form is damaged: reload the page.") from None
        if not (
            isinstance(rendered, dict)
            and isinstance(rendered.get("t"), int)
            and isinstance(rendered.get("n"), str)
        ):
            raise forms.ValidationError("This form is damaged: reload the page.")
        age = time.time() - rendered["t"]
        if age > conf.comment_form_max_age():
            raise forms.ValidationError(
                "This form has expired: reload the page and try again.", code="expired"
            )
        if age < conf.comment_min_seconds():
            raise forms.ValidationError(
                "That was quick! Please take a moment and submit again.", code="too_fast"
            )
        return rendered["n"]

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = (
            Comment.objects.approved()
            .filter(pk=parent_id, article=self.article, parent__isnull=True)
            .first()
        )
        if parent is None:
            raise forms.ValidationError("You can only reply to a published top-level comment.")
        return parent


@dataclass(frozen=True)
class Posted:
    comment: Comment
    published: bool


def post_comment(*, article: ArticlePage, form: CommentForm, user=None) -> Posted:
    """Store a valid comment: pending, unless the writer is a trusted commenter."""
    trusted = (
        conf.trusted_commenters_skip_queue()
        and user is not None
        and user.is_authenticated
        and user.has_perm("readership.skip_comment_moderation")
    )
    data = form.cleaned_data
    comment = Comment.objects.create(
        article=article,
        parent=data["parent"],
        name=data["name"],
        email=data["email"],
        body=data["body"],
        status=Comment.Status.APPROVED if trusted else Comment.Status.PENDING,
        moderated_by=user if trusted else None,
        moderated_at=timezone.now() if trusted else None,
    )
    if trusted:
        purge_article_page(article.pk)
    return Posted(comment=comment, published=trusted)
