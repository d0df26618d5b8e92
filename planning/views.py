"""The desk's actions on one pitch or assignment, and the story budget: each view reads the
request, makes one call into `planning.desk` or `planning.budget`, and answers."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from planning import access, budget, desk
from planning.models import Assignment, Pitch

LOCAL_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AcceptForm(forms.Form):
    reporter = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    due_at = forms.DateTimeField(label="Due", widget=LOCAL_INPUT)
    slot_at = forms.DateTimeField(label="Planned slot", widget=LOCAL_INPUT, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["reporter"].queryset = users


class DeclineForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


def _pitch_for_desk(request, pk: int) -> Pitch:
    pitch = get_object_or_404(Pitch, pk=pk)
    if not access.runs_desk(request.user, pitch.section_id):
        raise PermissionDenied
    if pitch.state == Pitch.State.ACCEPTED:
        raise PermissionDenied("An accepted pitch is an assignment now.")
    return pitch


def accept_pitch(request, pk: int):
    pitch = _pitch_for_desk(request, pk)
    form = AcceptForm(request.POST or None, initial={"reporter": pitch.proposer_id})
    if request.method == "POST" and form.is_valid():
        assignment = desk.accept(pitch, user=request.user, **form.cleaned_data)
        messages.success(request, f"Accepted: “{pitch.idea}” is assigned.")
        return redirect("planning_assignment:edit", assignment.pk)
    return render(
        request,
        "planning/pitch_action.html",
        {
            "pitch": pitch,
            "form": form,
            "action": "Accept and assign",
            "time_zone": settings.TIME_ZONE,
        },
    )


def decline_pitch(request, pk: int):
    pitch = _pitch_for_desk(request, pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        desk.decline(pitch, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"Declined: “{pitch.idea}”.")
        return redirect("planning_pitch:index")
    return render(
        request, "planning/pitch_action.html", {"pitch": pitch, "form": form, "action": "Decline"}
    )


def park_pitch(request, pk: int):
    pitch = _pitch_for_desk(request, pk)
    if request.method == "POST":
        desk.park(pitch, user=request.user)
        messages.success(request, f"Parked: “{pitch.idea}”.")
        return redirect("planning_pitch:index")
    return render(
        request, "planning/pitch_action.html", {"pitch": pitch, "form": None, "action": "Park"}
    )


def _visible_assignment(request, pk: int) -> Assignment:
    assignment = get_object_or_404(Assignment.objects.select_related("section"), pk=pk)
    if not Assignment.objects.visible_to(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return assignment


def start_draft(request, pk: int):
    assignment = _visible_assignment(request, pk)
    if not desk.may_start_draft(request.user, assignment):
        raise PermissionDenied
    if request.method == "POST":
        article = desk.start_draft(assignment, user=request.user)
        return redirect("wagtailadmin_pages:edit", article.pk)
    return render(request, "planning/start_draft.html", {"assignment": assignment})


@require_POST
def kill_assignment(request, pk: int):
    assignment = _visible_assignment(request, pk)
    desk.kill(assignment, user=request.user)
    messages.success(request, f"Killed: “{assignment.headline}”.")
    return redirect("planning_assignment:index")


def story_budget(request):
    """The day's (or week's) plan by section and slot, with the schedule beside it."""
    if not access.is_newsroom_member(request.user):
        raise PermissionDenied
    query = budget.BudgetQuery.from_request(request.GET)
    return render(
        request,
        "planning/budget.html",
        {
            "budget": budget.build(query, user=request.user),
            "query": query,
            "time_zone": settings.TIME_ZONE,
            "statuses": budget.Status.choices,
            "sections": budget.sections_for(request.user),
            "budget_url": reverse("planning:budget"),
        },
    )
