"""The article editor's panel of the publication checklist: what the story still lacks before
the desk may publish it, shown while it is written (editorial.checklist decides)."""

from wagtail.admin.panels import Panel

from editorial.checklist import missing_items
from editorial.publication_gate import SECOND_REVIEWER_RULE


class PublicationChecklistPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/panels/publication_checklist.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["missing"] = missing_items(self.instance)
            context["second_reviewer_rule"] = SECOND_REVIEWER_RULE
            return context
