"""The admin for pitches and assignments: Wagtail's ModelViewSet, with every object view
scoped by the planning permission policies and the desk's actions beside the generic ones."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import path

from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from news.models import NewsIndexPage
from planning import access, views
from planning.models import Assignment, Pitch


class ScopedObject:
    """Any view of one object: only an object the user may act on, by the view's action."""

    instance_action = "change"

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.instance_action, instance
        ):
            raise PermissionDenied
        return instance


class ScopedIndex:
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "view"
        ).select_related("section")


class ScopedForm:
    """Section (and assignee) choices limited to what the user may plan."""

    section_scope = staticmethod(access.member_section_ids)

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        sections = self.section_scope(self.request.user)
        choices = NewsIndexPage.objects.order_by("path")
        form.fields["section"].queryset = (
            choices if sections is None else choices.filter(pk__in=sections)
        )
        return form


class ActionsColumn(Column):
    cell_template_name = "planning/columns/actions.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        user = parent_context["request"].user
        context["desk"] = access.runs_desk(user, instance.section_id)
        context["instance"] = instance
        return context


# --- Pitches ---------------------------------------------------------------------------------


class PitchCreateView(ScopedForm, generic.CreateView):
    def save_instance(self):
        self.form.instance.proposer = self.request.user
        return super().save_instance()


class PitchEditView(ScopedObject, ScopedForm, generic.EditView):
    pass


class PitchDeleteView(ScopedObject, generic.DeleteView):
    instance_action = "delete"


class PitchHistoryView(ScopedObject, history.HistoryView):
    instance_action = "view"


class PitchUsageView(ScopedObject, usage.UsageView):
    instance_action = "view"


class PitchIndexView(ScopedIndex, generic.IndexView):
    pass


class PitchViewSet(ModelViewSet):
    model = Pitch
    icon = "pick"
    menu_label = "Pitches"
    url_prefix = "planning/pitches"
    url_namespace = "planning_pitch"
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = PitchIndexView
    add_view_class = PitchCreateView
    edit_view_class = PitchEditView
    delete_view_class = PitchDeleteView
    history_view_class = PitchHistoryView
    usage_view_class = PitchUsageView
    list_display = [
        "idea",
        "section",
        "proposer",
        Column("state", label="State", accessor="get_state_display"),
        "decline_reason",
        ActionsColumn("actions", label="Actions"),
    ]
    list_filter = ["state", "section"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("accept/<int:pk>/", views.accept_pitch, name="accept"),
            path("decline/<int:pk>/", views.decline_pitch, name="decline"),
            path("park/<int:pk>/", views.park_pitch, name="park"),
        ]


# --- Assignments -----------------------------------------------------------------------------


class AssignmentForm:
    section_scope = staticmethod(access.desk_section_ids)

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        people = get_user_model().objects.filter(is_active=True).order_by("username")
        for assignee in form.formsets["assignees"].forms:
            assignee.fields["user"].queryset = people
        return form


class AssignmentCreateView(AssignmentForm, ScopedForm, generic.CreateView):
    pass


class AssignmentEditView(ScopedObject, AssignmentForm, ScopedForm, generic.EditView):
    pass


class AssignmentDeleteView(ScopedObject, generic.DeleteView):
    instance_action = "delete"


class AssignmentHistoryView(ScopedObject, history.HistoryView):
    instance_action = "view"


class AssignmentUsageView(ScopedObject, usage.UsageView):
    instance_action = "view"


class AssignmentIndexView(ScopedIndex, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().with_status().prefetch_related("assignees__user")


class AssignmentViewSet(ModelViewSet):
    model = Assignment
    icon = "tasks"
    menu_label = "Assignments"
    url_prefix = "planning/assignments"
    url_namespace = "planning_assignment"
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = AssignmentIndexView
    add_view_class = AssignmentCreateView
    edit_view_class = AssignmentEditView
    delete_view_class = AssignmentDeleteView
    history_view_class = AssignmentHistoryView
    usage_view_class = AssignmentUsageView
    list_display = [
        "headline",
        "section",
        Column("due_at", label="Due"),
        Column("status", label="Status", accessor="status_label"),
        ActionsColumn("actions", label="Actions"),
    ]
    list_filter = ["section", "priority"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("start-draft/<int:pk>/", views.start_draft, name="start_draft"),
            path("kill/<int:pk>/", views.kill_assignment, name="kill"),
        ]


class PlanningViewSetGroup(ModelViewSetGroup):
    menu_label = "Planning"
    menu_icon = "calendar"
    menu_order = 250
    items = (PitchViewSet, AssignmentViewSet)
