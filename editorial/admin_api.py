"""The admin API's pages endpoint, with its publishing actions through the publication gate.

Wagtail's admin API (`/admin/api/main/pages/<id>/action/<name>/`) publishes with
`PublishPageRevisionAction` directly, and copies live with `CopyPageAction`; here both ask
the gate first and answer 403 with its refusal. Registered by the `construct_admin_api` hook.
"""

from wagtail.admin.api.actions.copy import CopyPageAPIAction
from wagtail.admin.api.actions.publish import PublishPageAPIAction
from wagtail.admin.api.views import PagesAdminAPIViewSet

from rest_framework.exceptions import PermissionDenied

from editorial import publication_gate


class GatedPublishPageAPIAction(PublishPageAPIAction):
    def _action_from_data(self, instance, data):
        user = self.request.user
        revision = instance.get_latest_revision() or instance.specific.save_revision(user=user)
        return publication_gate.GatedPublishPageRevisionAction(revision, user=user)

    def execute(self, instance, data):
        try:
            return super().execute(instance, data)
        except publication_gate.PublicationRefused as refused:
            raise PermissionDenied(str(refused.refusal)) from refused


class GatedCopyPageAPIAction(CopyPageAPIAction):
    def execute(self, instance, data):
        if data["keep_live"]:
            refusal = publication_gate.copy_refusal(
                instance, user=self.request.user, recursive=data["recursive"]
            )
            if refusal is not None:
                raise PermissionDenied(str(refusal))
        return super().execute(instance, data)


class NewsroomPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    actions = {
        **PagesAdminAPIViewSet.actions,
        "publish": GatedPublishPageAPIAction,
        "copy": GatedCopyPageAPIAction,
    }
