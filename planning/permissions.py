"""Wagtail permission policies for pitches and assignments, from the rules in `planning.access`.

The admin's generic views ask a policy whether a user may act at all (`user_has_permission`)
and on one object (`user_has_permission_for_instance`); every planning view asks both.
"""

from wagtail.permission_policies.base import BasePermissionPolicy

from planning import access
from planning.models import Assignment, Pitch


class PitchPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        if action == "delete":
            return access.runs_any_desk(user)
        return access.is_newsroom_member(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return (
                self.instances_user_has_permission_for(user, "view").filter(pk=instance.pk).exists()
            )
        if access.runs_desk(user, instance.section_id):
            return True
        own_open = instance.proposer_id == user.pk and instance.state == Pitch.State.PROPOSED
        return action == "change" and own_open

    def instances_user_has_permission_for(self, user, action):
        return Pitch.objects.visible_to(user)


class AssignmentPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        if action == "view":
            return access.is_newsroom_member(user)
        return access.runs_any_desk(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if access.runs_desk(user, instance.section_id):
            return True
        return action == "view" and instance.assignees.filter(user=user).exists()

    def instances_user_has_permission_for(self, user, action):
        if action == "view":
            return Assignment.objects.visible_to(user)
        sections = access.desk_section_ids(user)
        if sections is None:
            return Assignment.objects.all()
        return Assignment.objects.filter(section_id__in=sections)


pitch_policy = PitchPolicy(Pitch)
assignment_policy = AssignmentPolicy(Assignment)
