"""What the planning desk does to pitches and assignments: each change is one function that
checks the right, makes the change and writes it to Wagtail's audit log."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.log_actions import log

from news.models import ArticleByline, ArticlePage
from planning import access
from planning.models import Assignment, AssignmentRole, Pitch

ACCEPT = "planning.pitch.accept"
DECLINE = "planning.pitch.decline"
PARK = "planning.pitch.park"
START_DRAFT = "planning.assignment.start_draft"
KILL = "planning.assignment.kill"
REMIND = "planning.assignment.remind"


def _require_desk(user, section_id: int) -> None:
    if not access.runs_desk(user, section_id):
        raise PermissionDenied("Only the section's desk decides its plans.")


@transaction.atomic
def accept(
    pitch: Pitch, *, user, reporter, due_at: datetime, slot_at: datetime | None = None
) -> Assignment:
    """The pitch becomes an assignment for `reporter`, due at `due_at`."""
    _require_desk(user, pitch.section_id)
    pitch.decide(Pitch.State.ACCEPTED, user=user)
    assignment = Assignment.objects.create(
        headline=pitch.idea,
        section_id=pitch.section_id,
        pitch=pitch,
        due_at=due_at,
        slot_at=slot_at,
        notes=pitch.summary,
    )
    AssignmentRole.objects.create(
        assignment=assignment, user=reporter, role=AssignmentRole.Role.REPORTER
    )
    log(pitch, ACCEPT, user=user, data={"assignment": assignment.pk})
    log(assignment, "wagtail.create", user=user, data={"pitch": pitch.pk})
    return assignment


@transaction.atomic
def decline(pitch: Pitch, *, user, reason: str) -> None:
    _require_desk(user, pitch.section_id)
    pitch.decide(Pitch.State.DECLINED, user=user, reason=reason)
    log(pitch, DECLINE, user=user, data={"reason": reason})


@transaction.atomic
def park(pitch: Pitch, *, user) -> None:
    _require_desk(user, pitch.section_id)
    pitch.decide(Pitch.State.PARKED, user=user)
    log(pitch, PARK, user=user)


@transaction.atomic
def kill(assignment: Assignment, *, user) -> None:
    """Spike the story: it leaves the budget's open work (its article, if any, stays a draft)."""
    _require_desk(user, assignment.section_id)
    assignment.killed_at = timezone.now()
    assignment.save(update_fields=["killed_at"])
    log(assignment, KILL, user=user)


def may_start_draft(user, assignment: Assignment) -> bool:
    if assignment.article_id is not None or assignment.killed_at is not None:
        return False
    on_it = any(role.user_id == user.pk for role in assignment.assignees.all())
    if not (on_it or access.runs_desk(user, assignment.section_id)):
        return False
    return assignment.section.permissions_for_user(user).can_add_subpage()


def _free_slug(section, headline: str) -> str:
    base = slugify(headline)[:200] or "story"
    taken = set(section.get_children().values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def start_draft(assignment: Assignment, *, user) -> ArticlePage:
    """The article, a draft in the assignment's section, owned and bylined by the reporter.

    The reporter is the person starting it when they are on the assignment, otherwise the
    assignment's first reporter.
    """
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not may_start_draft(user, assignment):
        raise PermissionDenied("This draft cannot be started by you, or already exists.")
    people = [role.user for role in assignment.assignees.select_related("user")]
    owner = user if user in people else (assignment.lead_assignee() or user)
    section = assignment.section
    article = ArticlePage(
        title=assignment.headline,
        slug=_free_slug(section, assignment.headline),
        owner=owner,
        live=False,
    )
    profile = getattr(owner, "staff_profile", None)
    if profile is not None:
        article.bylines = [ArticleByline(profile=profile)]
    section.add_child(instance=article)
    article.save_revision(user=user, log_action=True)
    assignment.article = article
    assignment.save(update_fields=["article"])
    log(assignment, START_DRAFT, user=user, data={"article": article.pk})
    return article
