from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from editorial import views
from editorial.access import visible_in_admin
from editorial.checklist import missing_items
from editorial.dashboard import (
    AwaitingMyReviewPanel,
    MyDraftsPanel,
    PublishedTodayPanel,
    ScheduledNext24HoursPanel,
)
from editorial.models import PublicationChecklistTask

app_name = "editorial"
urlpatterns = [
    path("checklist/<int:page_id>/", views.checklist, name="checklist"),
    path("scheduled/", views.scheduled, name="scheduled"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("editorial/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_reports_menu_item")
def register_scheduled_report():
    return MenuItem("Scheduled", reverse("editorial:scheduled"), icon_name="time", order=50)


@hooks.register("construct_homepage_panels")
def add_desk_panels(request, panels):
    panels += [
        AwaitingMyReviewPanel(),
        MyDraftsPanel(),
        ScheduledNext24HoursPanel(),
        PublishedTodayPanel(),
    ]


@hooks.register("construct_page_chooser_queryset")
def hide_others_drafts_in_chooser(pages, request):
    return visible_in_admin(pages, request.user)


@hooks.register("before_publish_page")
def refuse_incomplete_article(request, page):
    """A direct publish or schedule obeys the same checklist as the workflow's last step."""
    if not hasattr(page, "dek"):
        return None
    missing = missing_items(page)
    if missing:
        messages.error(request, "Not published: " + " ".join(missing))
        return redirect("editorial:checklist", page.pk)
    return None


@hooks.register("after_edit_page")
def explain_refused_approval(request, page):
    """Approving from the editor goes through `on_action`, which cannot speak: say why."""
    if request.POST.get("workflow-action-name") != "approve":
        return None
    task = page.current_workflow_task
    if task is not None and isinstance(task.specific, PublicationChecklistTask):
        missing = missing_items(page.specific.get_latest_revision_as_object())
        if missing:
            messages.error(request, "Not approved: " + " ".join(missing))
    return None
