from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from live import coverage, views
from live.models import LivePage

app_name = "live"
urlpatterns = [
    path("", views.coverage_list, name="coverage_list"),
    path("<int:page_id>/", views.desk, name="desk"),
    path("<int:page_id>/end/", views.end_coverage, name="end_coverage"),
    path("entries/<int:entry_id>/edit/", views.edit_entry, name="edit_entry"),
    path("entries/<int:entry_id>/publish/", views.publish_entry, name="publish_entry"),
    path("entries/<int:entry_id>/delete/", views.delete_entry, name="delete_entry"),
    path("entries/<int:entry_id>/mark/", views.mark_entry, name="mark_entry"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("live/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_coverage_menu_item():
    return MenuItem(
        "Live coverage", reverse("live:coverage_list"), icon_name="radio-full", order=250
    )


@hooks.register("register_page_header_buttons")
def coverage_desk_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, LivePage) and coverage.can_post(user, page.specific):
        yield Button(
            "Coverage desk",
            reverse("live:desk", args=[page.pk]),
            icon_name="radio-full",
            priority=5,
        )


@hooks.register("register_log_actions")
def register_live_log_actions(actions):
    actions.register_action("live.entry.post", "Live: post update", "Posted a live update")
    actions.register_action(
        "live.entry.draft", "Live: draft update", "Saved a live update as a draft"
    )
    actions.register_action(
        "live.entry.edit", "Live: edit draft update", "Edited a draft live update"
    )
    actions.register_action("live.entry.correct", "Live: correct update", "Corrected a live update")
    actions.register_action("live.entry.delete", "Live: remove update", "Removed a live update")
    actions.register_action(
        "live.entry.mark", "Live: mark update", "Changed a live update's key event or pin"
    )
    actions.register_action("live.coverage.end", "Live: end coverage", "Ended the live coverage")
