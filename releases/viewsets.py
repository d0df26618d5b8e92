"""The release bundles in the admin: editors and chiefs (model permissions on the bundle)."""

from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from releases.forms import ReleaseBundleForm
from releases.models import ReleaseBundle


class ReleaseBundleViewSet(SnippetViewSet):
    model = ReleaseBundle
    icon = "calendar-alt"
    menu_label = "Releases"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "release_at", Column("status_text", label="Status")]
    list_filter = ["status"]
    ordering = ["-release_at", "-pk"]
    copy_view_enabled = False
    edit_handler = ObjectList(ReleaseBundle.panels, base_form_class=ReleaseBundleForm)
