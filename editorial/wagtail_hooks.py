from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page, TaskState

from editorial import new_story, outcomes, publication_gate, views
from editorial.access import visible_in_admin
from editorial.admin_api import NewsroomPagesAdminAPIViewSet
from editorial.dashboard import (
    AwaitingMyReviewPanel,
    MyDraftsPanel,
    NewArticlePanel,
    PublishedTodayPanel,
    ScheduledNext24HoursPanel,
)
from editorial.models import PublicationChecklistTask, review_restart_message, stand_in_notice
from news.models import NewsIndexPage

app_name = "editorial"
urlpatterns = [
    path("checklist/<int:page_id>/", views.checklist, name="checklist"),
    path("scheduled/", views.scheduled, name="scheduled"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("editorial/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("construct_homepage_panels")
def add_desk_panels(request, panels):
    # Ours lists what awaits the reader's review; Wagtail's own panel would list it twice.
    panels[:] = [
        panel for panel in panels if getattr(panel, "name", "") != "workflow_objects_to_moderate"
    ]
    panels += [
        NewArticlePanel(),
        AwaitingMyReviewPanel(),
        MyDraftsPanel(),
        ScheduledNext24HoursPanel(),
        PublishedTodayPanel(),
    ]


@hooks.register("construct_page_chooser_queryset")
def hide_others_drafts_in_chooser(pages, request):
    return visible_in_admin(pages, request.user)


@hooks.register("before_publish_page")
def refuse_publication_through_the_edit_view(request, page):
    """Publish, schedule, or publish a reverted revision: the desk's gate decides."""
    refusal = publication_gate.refusal(page, request.user)
    if refusal is None:
        return None
    publication_gate.keep_new_page_a_draft(page)
    messages.error(request, str(refusal))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_bulk_publication(request, action_type, objects, action):
    """Bulk "Publish" publishes nothing while any of the chosen stories is refused."""
    if action_type != "publish":
        return None
    pages = list(objects)
    if action.cleaned_form.cleaned_data.get("include_descendants"):
        pages += [
            descendant for page in objects for descendant in page.get_descendants().not_live()
        ]
    refusals = [
        publication_gate.refusal(publication_gate.version_to_publish(page), request.user)
        for page in pages
    ]
    refusals = [refusal for refusal in refusals if refusal is not None]
    for refusal in refusals:
        messages.error(request, str(refusal))
    return redirect(action.next_url) if refusals else None


@hooks.register("before_copy_page")
def refuse_publishing_a_copy(request, page):
    """ "Copy" with "Publish copies" publishes the story again: the same gate."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    refusal = publication_gate.copy_refusal(
        page, user=request.user, recursive=bool(request.POST.get("copy_subpages"))
    )
    if refusal is None:
        return None
    messages.error(request, str(refusal))
    return redirect("wagtailadmin_pages:copy", page.pk)


@hooks.register("construct_admin_api")
def gate_admin_api_publishing(router):
    router.register_endpoint("pages", NewsroomPagesAdminAPIViewSet)


@hooks.register("before_edit_page")
def remember_the_step_acted_on(request, page):
    state = page.current_workflow_task_state
    request.editorial_task_state_id = state.pk if state else None


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def say_what_happened(request, page):
    """Replace Wagtail's "Page '…' has been updated." with what the action did: changes
    requested, approved and sent on, published, scheduled; or, for a refused last approval
    (`on_action` cannot speak), the publication gate's reasons."""
    outcome = None
    if request.POST.get("workflow-action-name"):
        refusal = refused_approval(request, page)
        outcome = (
            outcomes.Outcome(str(refusal), messages.ERROR)
            if refusal is not None
            else outcomes.workflow_action_outcome(
                page,
                acted_state_id=getattr(request, "editorial_task_state_id", None),
                user=request.user,
            )
        )
    elif "action-publish" in request.POST:
        outcome = outcomes.published_or_scheduled(page)
    elif "action-submit" in request.POST or "action-restart-workflow" in request.POST:
        outcome = outcomes.submitted(page)
    if outcome is not None:
        outcomes.replace_success_messages(request, outcome)
    return None


def refused_approval(request, page):
    """The refusal of an approval whose step (the checklist's) is still waiting."""
    if request.POST.get("workflow-action-name") != "approve":
        return None
    state = Page.objects.get(pk=page.pk).current_workflow_task_state
    if (
        state is None
        or state.pk != getattr(request, "editorial_task_state_id", None)
        or state.status != TaskState.STATUS_IN_PROGRESS
        or not isinstance(state.task.specific, PublicationChecklistTask)
    ):
        return None
    return state.task.specific.refusal(state, request.user)


@hooks.register("register_page_header_buttons")
def new_article_in_this_section(page, user, next_url=None, view_name=None):
    """A section's listing offers "New article" there, straight to the form."""
    if not isinstance(page.specific_deferred, NewsIndexPage):
        return []
    if not page.permissions_for_user(user).can_add_subpage():
        return []
    return [Button("New article", new_story.new_article_url(page), icon_name="plus", priority=1)]


@hooks.register("before_create_page")
def refuse_creating_what_the_role_may_not(request, parent_page, page_class):
    """A writer adds stories to a section, not sections (which the desk creates)."""
    if not new_story.may_create(request.user, parent=parent_page, page_model=page_class):
        raise PermissionDenied("Sections are created by the desk (editors and chief editors).")
    return None


@hooks.register("insert_global_admin_js")
def name_unnamed_controls():
    """Accessible names for the tag input, rich-text editors and workflow dialogs."""
    return format_html('<script src="{}"></script>', static("editorial/js/accessible-names.js"))


@hooks.register("after_edit_page")
def say_when_review_restarted(request, page):
    """An approval that went through but sent the story back a step says so (editorial.models:
    only edits by someone outside the step restart review)."""
    if request.POST.get("workflow-action-name") != "approve":
        return None
    approved = TaskState.objects.filter(pk=getattr(request, "editorial_task_state_id", None))
    message = review_restart_message(approved.first()) if approved.exists() else None
    if message is not None:
        messages.warning(request, message)
    return None


@hooks.register("register_log_actions")
def register_embargo_log_actions(actions):
    actions.register_action(
        publication_gate.EMBARGO_LIFTED, "Lift embargo", "Embargo lifted early (override)"
    )


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def say_who_takes_a_step_nobody_else_can(request, page):
    """Submitted to a step whose only reviewers wrote the story: say who takes it instead."""
    if not request.POST.get("action-submit"):
        return None
    notice = stand_in_notice(Page.objects.get(pk=page.pk))
    if notice is not None:
        messages.info(request, notice)
    return None
