from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """The planning desk: what the newsroom means to publish before anyone opens a draft.

    Pitches, assignments (who, by when, for which slot, how long) and the story budget that
    runs the day; an assignment's status is read from its article's real state, never stored.
    """

    name = "planning"
    verbose_name = "Planning"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from planning.models import Assignment, Pitch
        from planning.permissions import assignment_policy, pitch_policy

        register_permission_policy(Pitch, pitch_policy)
        register_permission_policy(Assignment, assignment_policy)
