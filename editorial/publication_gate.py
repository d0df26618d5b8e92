"""The one gate every person's publication of a story passes.

A story goes public only when it meets the publication checklist and someone other than its
authors (its owner, its bylined staff, whoever submitted it for review) approves it. Wagtail
offers many ways to publish; each of them asks `refusal()` and, when refused, shows its text:

- the edit and create views ("Publish", "Schedule", publishing a reverted revision):
  the `before_publish_page` hook (editorial/wagtail_hooks.py);
- everything that calls `Page.publish()` / `Revision.publish()` (the bulk "Publish" action,
  the workflow's last approval, a scheduled revision): `ArticlePage.publish` runs
  `GatedPublishPageRevisionAction`, which raises `PublicationRefused`; the bulk action
  (editorial/bulk_actions.py) and the last workflow step (editorial/models.py) ask first,
  so they can say why rather than fail;
- the admin API's "publish" and "copy" actions (editorial/admin_api.py);
- "Copy" with "Publish copies": the `before_copy_page` hook.

Two rules hold for persons: the checklist and no self-approval. A publication without a user
is the system's own (the scheduler carrying out a schedule that passed this gate when a person
set it, an archive import, demo data) and is not refused by those.

One rule holds for everyone, superusers and the system included: **the embargo**
(news/models/embargo.py). A page is not published, nor scheduled to go live, before its
embargo time. The only way round it is to lift the embargo, which the page form allows a
superuser only when `EMBARGO_OVERRIDE_ALLOWED` is on, with a reason kept in the audit log
(`embargo_lift_refusal`, `log_embargo_lift`).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from wagtail.actions.publish_page_revision import (
    PublishPagePermissionError,
    PublishPageRevisionAction,
)
from wagtail.log_actions import log

from editorial.checklist import missing_items
from editorial.models import may_approve_own_submission
from news.models.embargo import EmbargoMixin, embargo_text

SECOND_REVIEWER = "Someone other than its author must approve it, and you are one of its authors."
SECOND_REVIEWER_RULE = (
    "Someone other than its authors approves it: the desk reviews it after you submit."
)


def embargo_reason(until: datetime) -> str:
    return f"It is under embargo until {embargo_text(until)}."


@dataclass(frozen=True)
class Refusal:
    headline: str
    missing: tuple[str, ...] = ()
    own_story: bool = False
    embargoed_until: datetime | None = None

    def reasons(self) -> list[str]:
        embargo = [embargo_reason(self.embargoed_until)] if self.embargoed_until else []
        return [*embargo, *self.missing, *([SECOND_REVIEWER] if self.own_story else [])]

    def __str__(self) -> str:
        parts = [f"“{self.headline}” was not published."]
        if self.embargoed_until:
            parts.append(embargo_reason(self.embargoed_until))
        if self.missing:
            parts.append("Still missing: " + " ".join(self.missing))
        if self.own_story:
            parts.append(SECOND_REVIEWER)
        return " ".join(parts)


class PublicationRefused(PublishPagePermissionError):
    def __init__(self, refusal: Refusal):
        super().__init__(str(refusal))
        self.refusal = refusal


def is_story(page) -> bool:
    from news.models import ArticlePage

    return isinstance(page, ArticlePage)


def author_ids(story) -> set[int]:
    """The people whose story this is: its owner, its bylined staff, and its submitter."""
    ids = {story.owner_id}
    ids |= {byline.profile.user_id for byline in story.bylines.all() if byline.profile_id}
    state = story.current_workflow_state
    if state is not None:
        ids.add(state.requested_by_id)
    ids.discard(None)
    return ids


def publication_moment(version, *, now: datetime | None = None) -> datetime:
    """When publishing `version` now would make it public: its go-live time if that is still
    ahead (a schedule), now otherwise."""
    now = now or timezone.now()
    go_live_at = getattr(version, "go_live_at", None)
    return go_live_at if go_live_at and go_live_at > now else now


def embargo_holding(version, *, at: datetime | None = None) -> datetime | None:
    """The embargo time that forbids making `version` public at `at` (default: its publication
    moment), or None."""
    if not isinstance(version, EmbargoMixin):
        return None
    at = at or publication_moment(version)
    return version.embargo_until if version.is_under_embargo(at=at) else None


def refusal(story, user, *, at: datetime | None = None) -> Refusal | None:
    """Why `user` (None: the system) may not make this version of `story` public (None: they
    may), at `at` (default: its publication moment).

    `story` is the version that would go public: a revision's object, or the page as the edit
    form saved it.
    """
    embargoed_until = embargo_holding(story, at=at)
    if user is None or not is_story(story):
        return Refusal(story.title, embargoed_until=embargoed_until) if embargoed_until else None
    missing = tuple(missing_items(story))
    own_story = user.pk in author_ids(story) and not may_approve_own_submission(user)
    if missing or own_story or embargoed_until:
        return Refusal(story.title, missing, own_story, embargoed_until)
    return None


def own_submission_refusal(page, user) -> Refusal | None:
    """The refusal to review a story one submitted for review oneself (at any workflow step)."""
    state = page.current_workflow_state
    if state is None or state.requested_by_id != user.pk or may_approve_own_submission(user):
        return None
    return Refusal(page.specific.get_latest_revision_as_object().title, own_story=True)


def check(story, user) -> None:
    found = refusal(story, user)
    if found is not None:
        raise PublicationRefused(found)


class GatedPublishPageRevisionAction(PublishPageRevisionAction):
    """Wagtail's publish action, refusing what the gate refuses (even when the caller skips
    the permission check: the gate is not a permission, it is the desk's rule)."""

    def check(self, skip_permission_checks: bool = False):
        super().check(skip_permission_checks)
        check(self.object, self.user)


def version_to_publish(page):
    """What publishing `page` now would make public: its latest revision."""
    page = page.specific
    return page.get_latest_revision_as_object() if page.latest_revision_id else page


def copy_refusal(page, *, user, recursive: bool) -> Refusal | None:
    """A copy kept live publishes the page (and, copied with its subpages, every live one
    below it) again, under the copying user's name."""
    pages = [page, *(page.get_descendants().live() if recursive else [])]
    for each in pages:
        found = refusal(version_to_publish(each), user)
        if found is not None:
            return found
    return None


def keep_new_page_a_draft(page) -> None:
    """The create view adds a page to be published to the tree as live (the model's default)
    before asking; refused, it stays a draft that was never published."""
    type(page).objects.filter(pk=page.pk, live_revision=None).update(
        live=False, has_unpublished_changes=True
    )


# --- Lifting an embargo -----------------------------------------------------------------------

EMBARGO_LIFTED = "masthead.embargo.lift"


def may_override_embargo(user) -> bool:
    return bool(
        user is not None
        and user.is_superuser
        and getattr(settings, "EMBARGO_OVERRIDE_ALLOWED", False)
    )


def embargo_on_record(page) -> datetime | None:
    """The embargo the page's latest saved version carries (what a form edit would change)."""
    if page.pk is None:
        return None
    stored = type(page).objects.filter(pk=page.pk).first()
    if stored is None:
        return None
    return stored.get_latest_revision_as_object().embargo_until


def embargo_lift_refusal(*, previous, new, user, reason: str, now=None) -> str | None:
    """Why `user` may not change an embargo from `previous` to `new` (None: they may).

    An embargo in force may be extended by anyone who edits the page; brought forward or
    removed only by someone allowed to override it, with a reason. Otherwise clearing the
    field would be a way round the embargo.
    """
    now = now or timezone.now()
    if previous is None or previous <= now or (new is not None and new >= previous):
        return None
    if not may_override_embargo(user):
        return (
            f"The embargo until {embargo_text(previous)} is in force: it can be extended, "
            "not brought forward or removed."
        )
    if not reason.strip():
        return "Give the reason for lifting the embargo early: the audit log keeps it."
    return None


def log_embargo_lift(page, *, previous, new, user, reason: str) -> None:
    log(
        page,
        EMBARGO_LIFTED,
        user=user,
        data={
            "reason": reason.strip(),
            "embargo_until": previous.isoformat(),
            "new_embargo_until": new.isoformat() if new else None,
        },
    )
