"""Releasing a bundle: every page at once, in one transaction, exactly once — or nothing.

The beat tick (`releases.release_due_bundles`, every two seconds) claims each due bundle with a
row lock (`SELECT ... FOR UPDATE SKIP LOCKED`) and re-checks it inside the same transaction, as
the scheduler claims due revisions (editorial/scheduling.py). Two beats at once take different
bundles; a worker killed mid-release rolls the whole transaction back and the next tick releases
the bundle again from the start. The desk hears once, after commit (`notify_desk`).

A page is approved for release when the revision recorded in the bundle is still its latest (no
edit since), no workflow is under way on it, the person who added it may publish it, and the
publication gate accepts that revision from that person at the release time (checklist, no
self-approval, embargo).
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from editorial import publication_gate
from releases.models import BundlePage, ReleaseBundle

logger = logging.getLogger(__name__)


def why_not_approved(item: BundlePage, *, at: datetime) -> str | None:
    """Why this page may not go out with its bundle at `at` (None: it may)."""
    page = Page.objects.filter(pk=item.page_id).first()
    if page is None:
        return "the page was deleted"
    page = page.specific
    title = page.get_admin_display_title()
    if page.latest_revision_id != item.revision_id:
        return f"“{title}” was edited after it was added; add it again once approved"
    if page.workflow_in_progress:
        return f"“{title}” is still in review"
    if item.added_by is None or not page.permissions_for_user(item.added_by).can_publish():
        return f"“{title}” was added by someone who may not publish it"
    version = item.revision.as_object()
    if version.go_live_at and version.go_live_at > at:
        return f"“{title}” has a go-live time of its own, after the release"
    refusal = publication_gate.refusal(version, item.added_by, at=at)
    if refusal is not None:
        return " ".join(refusal.reasons()) + f" (“{title}”)"
    return None


def publish_all(items: list[BundlePage]) -> list[str]:
    """Publish every item's revision in one savepoint: all of them, or (one fails) none, and
    then the failure, for the desk."""
    try:
        with transaction.atomic():
            for item in items:
                item.revision.publish(user=item.added_by)
    except Exception as error:
        logger.exception("Publishing a release bundle failed; nothing of it was published")
        return [f"publishing failed ({error})"]
    return []


@dataclass
class ReleaseRun:
    released: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def release_bundle(bundle_id: int, *, now: datetime, run: ReleaseRun) -> None:
    with transaction.atomic():
        bundle = (
            ReleaseBundle.objects.select_for_update(skip_locked=True)
            .due(now=now)
            .filter(pk=bundle_id)
            .first()
        )
        if bundle is None:
            return  # another scheduler has it, or has done it
        items = list(bundle.items.select_related("revision", "added_by").order_by("sort_order"))
        problems = [why for item in items if (why := why_not_approved(item, at=now))]
        if not items:
            problems = ["the bundle has no pages"]
        if not problems:
            problems = publish_all(items)
        if problems:
            bundle.status, bundle.failure = ReleaseBundle.Status.FAILED, "; ".join(problems) + "."
            bundle.save(update_fields=["status", "failure"])
            run.failed.append(bundle.pk)
            logger.warning("Release bundle %s not released: %s", bundle.pk, bundle.failure)
        else:
            bundle.status, bundle.released_at = ReleaseBundle.Status.RELEASED, timezone.now()
            bundle.save(update_fields=["status", "released_at"])
            run.released.append(bundle.pk)
            logger.info(
                "Released bundle %s (%d pages), %.3f s after its release time",
                bundle.pk,
                len(items),
                (bundle.released_at - bundle.release_at).total_seconds(),
            )
        from releases.tasks import notify_desk_of_release

        notify_desk_of_release.delay_on_commit(bundle.pk)


def release_due_bundles(*, now: datetime | None = None) -> ReleaseRun:
    now = now or timezone.now()
    run = ReleaseRun()
    for bundle_id in list(ReleaseBundle.objects.due(now=now).values_list("pk", flat=True)):
        release_bundle(bundle_id, now=now, run=run)
    return run


def desk_of(bundle: ReleaseBundle) -> list[str]:
    """Whoever may change the bundle's pages, and its creator."""
    people = {bundle.created_by} - {None}
    for item in bundle.items.select_related("page"):
        people |= set(
            PagePermissionPolicy().users_with_permission_for_instance(
                "publish", item.page, include_superusers=False
            )
        )
    return sorted(person.email for person in people if person.is_active and person.email)


def notify_desk(bundle_id: int) -> bool:
    """Email the desk the outcome of a release, once (a redelivered task sends nothing)."""
    now = timezone.now()
    claimed = (
        ReleaseBundle.objects.filter(pk=bundle_id, notified_at=None)
        .exclude(status=ReleaseBundle.Status.SCHEDULED)
        .update(notified_at=now)
    )
    if not claimed:
        return False
    bundle = ReleaseBundle.objects.get(pk=bundle_id)
    recipients = desk_of(bundle)
    context = {"bundle": bundle, "base_url": settings.WAGTAILADMIN_BASE_URL}
    if recipients:
        send_mail(
            render_to_string("releases/outcome_subject.txt", context).strip(),
            render_to_string("releases/outcome.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
    return True
