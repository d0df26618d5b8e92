from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter

from sharing import admin_views
from sharing.models import CREATE_ACTION, REVOKE_ACTION, USE_ACTION

app_name = "sharing_admin"
urlpatterns = [
    path("", admin_views.index, name="index"),
    path("pages/<int:page_id>/", admin_views.page_links, name="page_links"),
    path("links/<int:link_id>/revoke/", admin_views.revoke, name="revoke"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("sharing/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return MenuItem("Share links", reverse("sharing_admin:index"), icon_name="link", order=850)


class ShareLinksButton(PageMenuItem):
    label = "Share links"
    icon_name = "link"
    url_name = "sharing_admin:page_links"

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_edit()


@hooks.register("register_page_header_buttons")
def share_links_header_button(page, user, view_name, next_url=None):
    yield ShareLinksButton(page=page, priority=66)


@hooks.register("register_page_listing_more_buttons")
def share_links_listing_button(page, user, next_url=None):
    yield ShareLinksButton(page=page, priority=55)


def _expires(log_entry) -> str:
    moment = parse_datetime(log_entry.data.get("expires_at") or "")
    return f"{timezone.localtime(moment):%d %b %Y, %H:%M}" if moment else "?"


@hooks.register("register_log_actions")
def register_share_link_actions(actions):
    @actions.register_action(CREATE_ACTION)
    class CreateShareLink(LogFormatter):
        label = "Create share link"

        def format_message(self, log_entry):
            data = log_entry.data
            shows = f"revision {data['revision']}" if data.get("revision") else "the latest draft"
            limit = f", at most {data['max_views']} views" if data.get("max_views") else ""
            return (
                f"Shared with {data.get('recipient')} ({shows}, until {_expires(log_entry)}{limit})"
            )

    @actions.register_action(USE_ACTION)
    class UseShareLink(LogFormatter):
        label = "Open share link"

        def format_message(self, log_entry):
            data = log_entry.data
            return (
                f"Share link opened by {data.get('recipient')} from {data.get('address')} "
                f"(view {data.get('view')})"
            )

    @actions.register_action(REVOKE_ACTION)
    class RevokeShareLink(LogFormatter):
        label = "Revoke share link"

        def format_message(self, log_entry):
            return f"Share link for {log_entry.data.get('recipient')} revoked"
