"""A share link: one page, one named recipient, one secret token, for a limited time.

Only the SHA-256 of the token is stored. A link is found by the hash of what the visitor sent,
through the unique index, so a lookup never compares the secret itself byte by byte (nothing to
time), and a copy of the database opens no link. The token is shown once, to its creator.

A link shows either the revision that was current when it was made (a lawyer reads exactly what
was cleared) or whatever the latest draft is when the link is opened. A pinned revision that is
deleted takes its links with it (CASCADE): a link never falls back to a newer draft.

Every mutation goes through one method here, which checks the actor's right to edit the page
and writes the audit entry that the page's history shows (actions registered in
`sharing.wagtail_hooks`).
"""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import Comment, Page, Revision
from wagtail.permission_policies.pages import PagePermissionPolicy

TOKEN_BYTES = 32
# What secrets.token_urlsafe(32) makes: 43 characters of the URL-safe base64 alphabet.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
COMMENT_MAX_LENGTH = 2000
# Wagtail anchors an admin comment to a field; every page has a title.
COMMENT_CONTENTPATH = "title"
USER_AGENT_LOGGED = 200

CREATE_ACTION = "sharing.link.create"
USE_ACTION = "sharing.link.use"
REVOKE_ACTION = "sharing.link.revoke"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_well_formed(token: str) -> bool:
    """Whether `token` could be one we made; anything else is refused before any query."""
    return bool(TOKEN_SHAPE.fullmatch(token))


def max_hours() -> int:
    return settings.SHARE_LINK_MAX_HOURS


def default_hours() -> int:
    return min(settings.SHARE_LINK_DEFAULT_HOURS, max_hours())


class ShareLinkQuerySet(models.QuerySet):
    def open(self, *, now: datetime | None = None):
        """Neither revoked nor expired (views may be used up)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def viewable(self, *, now: datetime | None = None):
        """Open, with views left."""
        return self.open(now=now).filter(
            Q(max_views__isnull=True) | Q(view_count__lt=F("max_views"))
        )

    def for_page(self, page: Page):
        return self.filter(page_id=page.pk)

    def on_pages_editable_by(self, user):
        """Links on pages `user` may edit: the only links they may see or revoke."""
        if user.is_superuser:
            return self
        editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
        return self.filter(page__in=editable.values("pk"))

    def newest_first(self):
        return self.order_by("-created_at", "-pk")


class ShareLinkManager(models.Manager.from_queryset(ShareLinkQuerySet)):
    def create_for(
        self,
        *,
        page: Page,
        user,
        recipient: str,
        pin_revision: bool,
        hours: int,
        max_views: int | None = None,
        allow_comments: bool = False,
        embargo_cleared: bool = False,
        now: datetime | None = None,
    ) -> tuple["ShareLink", str]:
        """A new link on `page` by `user`, and its token (shown once, never stored)."""
        permissions = page.permissions_for_user(user)
        if not permissions.can_edit():
            raise PermissionDenied("Only someone who may edit this page can share it.")
        if embargo_cleared and not permissions.can_publish():
            raise PermissionDenied("Only someone who may publish this page can clear a reader.")
        if not 1 <= hours <= max_hours():
            raise ValidationError(f"A share link lasts between 1 and {max_hours()} hours.")
        if max_views is not None and max_views < 1:
            raise ValidationError("A view limit must allow at least one view.")
        revision = page.get_latest_revision() if pin_revision else None
        if pin_revision and revision is None:
            raise ValidationError("This page has no saved version to share yet.")
        now = now or timezone.now()
        token = new_token()
        with transaction.atomic():
            link = self.create(
                page=page,
                revision=revision,
                recipient=recipient,
                token_hash=hash_token(token),
                created_by=user,
                created_at=now,
                expires_at=now + timedelta(hours=hours),
                max_views=max_views,
                allow_comments=allow_comments,
                embargo_cleared=embargo_cleared,
            )
            log(page, CREATE_ACTION, user=user, data=link.audit_data())
        return link, token

    def open_for_view(
        self, token: str, *, user=None, address: str, user_agent: str = "", now=None
    ) -> "ShareLink | None":
        """The link `token` opens, counting one view and auditing it; None when the token is
        unknown or its link revoked, expired or used up (a race for the last view has one
        winner: the count is a conditional UPDATE)."""
        if not is_well_formed(token):
            return None
        now = now or timezone.now()
        token_hash = hash_token(token)
        with transaction.atomic():
            counted = (
                self.viewable(now=now)
                .filter(token_hash=token_hash)
                .update(view_count=F("view_count") + 1, last_viewed_at=now)
            )
            if not counted:
                return None
            link = self.select_related("page", "revision").get(token_hash=token_hash)
            log(
                link.page,
                USE_ACTION,
                user=user if user is not None and user.is_authenticated else None,
                data={
                    **link.audit_data(),
                    "view": link.view_count,
                    "address": address,
                    "user_agent": user_agent[:USER_AGENT_LOGGED],
                },
            )
        return link

    def open_for_comment(self, token: str, *, now=None) -> "ShareLink | None":
        """The open link `token` names, if it takes comments; counts no view (the recipient
        may comment on the last view a limit allowed)."""
        if not is_well_formed(token):
            return None
        return (
            self.open(now=now)
            .filter(token_hash=hash_token(token), allow_comments=True)
            .select_related("page")
            .first()
        )


class ShareLink(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="share_links")
    # None: the latest draft whenever the link is opened.
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.CASCADE, related_name="share_links"
    )
    recipient = models.CharField(
        max_length=150, help_text="Who the link is for, e.g. “Jo Smith, Smith & Co (lawyers)”."
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    max_views = models.PositiveIntegerField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    allow_comments = models.BooleanField(default=False)
    embargo_cleared = models.BooleanField(
        default=False, help_text="The recipient may read the story before its embargo lifts."
    )
    # The inactive account the recipient's comments are attributed to (made on first comment).
    reviewer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="share_link_reviewed",
    )

    objects = ShareLinkManager()
    comment_max_length = COMMENT_MAX_LENGTH

    class Meta:
        indexes = [models.Index(fields=["page", "-created_at"])]

    def __str__(self):
        return f"Share link for {self.recipient} on “{self.page.get_admin_display_title()}”"

    # --- State ------------------------------------------------------------------------------

    def state(self, *, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        if self.max_views is not None and self.view_count >= self.max_views:
            return "used up"
        return "active"

    def is_active(self, *, now: datetime | None = None) -> bool:
        return self.state(now=now) == "active"

    def may_show_embargoed(self) -> bool:
        """Whether this link's recipient may read the story before its embargo lifts."""
        return self.embargo_cleared

    @property
    def version_label(self) -> str:
        if self.revision_id is None:
            return "Latest draft"
        return f"Version of {timezone.localtime(self.revision.created_at):%d %b %Y, %H:%M}"

    def version_to_show(self) -> Page:
        """The page as the recipient reads it: the pinned revision, or the latest draft."""
        if self.revision_id is not None:
            return self.revision.as_object()
        return self.page.specific.get_latest_revision_as_object()

    def audit_data(self) -> dict:
        return {
            "link": self.pk,
            "recipient": self.recipient,
            "revision": self.revision_id,
            "expires_at": self.expires_at.isoformat(),
            "max_views": self.max_views,
            "allow_comments": self.allow_comments,
            "embargo_cleared": self.embargo_cleared,
        }

    # --- Mutations --------------------------------------------------------------------------

    def revoke(self, *, user, now: datetime | None = None) -> bool:
        """Revoke at once; False when it already was (logged once)."""
        if not self.page.permissions_for_user(user).can_edit():
            raise PermissionDenied("Only someone who may edit this page can revoke its links.")
        now = now or timezone.now()
        with transaction.atomic():
            revoked = ShareLink.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
                revoked_at=now, revoked_by=user
            )
            if revoked:
                self.revoked_at, self.revoked_by = now, user
                log(self.page, REVOKE_ACTION, user=user, data=self.audit_data())
        return bool(revoked)

    def outside_reviewer(self):
        """The account the recipient's comments are attributed to: inactive, without a
        password or any group, named after the recipient."""
        with transaction.atomic():
            link = ShareLink.objects.select_for_update().get(pk=self.pk)
            if link.reviewer_id is None:
                reviewer, _ = get_user_model().objects.get_or_create(
                    username=f"share-link-{self.pk}",
                    defaults={
                        "first_name": self.recipient[:150],
                        "last_name": "(outside reviewer)",
                        "is_active": False,
                    },
                )
                reviewer.set_unusable_password()
                reviewer.save(update_fields=["password"])
                link.reviewer = reviewer
                link.save(update_fields=["reviewer"])
            self.reviewer = link.reviewer
        return self.reviewer

    def leave_comment(self, text: str) -> Comment:
        """The recipient's comment, as a Wagtail admin comment on the page (and in its
        history), attributed to their outside-reviewer account."""
        text = text.strip()
        if not text:
            raise ValidationError("Write a comment first.")
        if len(text) > COMMENT_MAX_LENGTH:
            raise ValidationError(f"A comment has at most {COMMENT_MAX_LENGTH} characters.")
        if "\x00" in text:
            raise ValidationError("A comment cannot contain a NUL character.")
        reviewer = self.outside_reviewer()
        with transaction.atomic():
            comment = Comment.objects.create(
                page=self.page, user=reviewer, text=text, contentpath=COMMENT_CONTENTPATH
            )
            comment.log_create(user=reviewer)
        return comment
