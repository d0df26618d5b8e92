"""The coverage desk in the admin: the coverage a member of staff may post to, and one page's
desk (post an update in two clicks, edit, correct, delete, mark key events and pins, end
coverage). Each view checks nothing itself beyond finding the objects: `live.coverage` decides."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from live import coverage
from live.forms import DeleteEntryForm, EntryEditForm, QuickEntryForm
from live.models import LiveEntry, LivePage

DESK_ENTRIES = 50


def coverage_list(request):
    pages = [
        page
        for page in LivePage.objects.order_by("status", "-coverage_start", "-pk")
        if coverage.can_post(request.user, page)
    ]
    return render(request, "live/admin/coverage_list.html", {"pages": pages})


def desk(request, page_id: int):
    page = get_object_or_404(LivePage, pk=page_id)
    if not coverage.can_post(request.user, page):
        raise PermissionDenied
    may_mark = coverage.is_coverage_editor(request.user, page)
    form = QuickEntryForm(request.POST or None, may_mark=may_mark)
    if request.method == "POST" and form.is_valid():
        coverage.post_entry(
            page,
            user=request.user,
            body=form.body(),
            publish="save-draft" not in request.POST,
            key_event=form.cleaned_data.get("key_event", False),
            pinned=form.cleaned_data.get("pinned", False),
        )
        messages.success(
            request,
            "Update saved as a draft." if "save-draft" in request.POST else "Update posted.",
        )
        return redirect("live:desk", page.pk)
    entries = [
        entry
        for entry in LiveEntry.objects.filter(page=page)
        .select_related("page", "created_by")
        .prefetch_related("authors")
        .order_by("-sequence")[:DESK_ENTRIES]
        if entry.is_visible or coverage.can_edit_entry(request.user, entry)
    ]
    return render(
        request,
        "live/admin/desk.html",
        {"page": page, "form": form, "entries": entries, "may_mark": may_mark},
    )


def _entry(request, entry_id: int) -> LiveEntry:
    entry = get_object_or_404(LiveEntry.objects.select_related("page"), pk=entry_id)
    if not coverage.can_edit_entry(request.user, entry):
        raise PermissionDenied
    return entry


def edit_entry(request, entry_id: int):
    entry = _entry(request, entry_id)
    form = EntryEditForm(
        request.POST or None, instance=entry, initial={"expected_sequence": entry.sequence}
    )
    if request.method == "POST" and form.is_valid():
        try:
            coverage.edit_entry(
                entry,
                user=request.user,
                body=form.cleaned_data["body"],
                correction_note=form.cleaned_data["correction_note"],
                expected_sequence=form.cleaned_data["expected_sequence"],
            )
        except coverage.EntryChanged as error:
            messages.error(request, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Entry saved.")
            return redirect("live:desk", entry.page_id)
    return render(request, "live/admin/edit_entry.html", {"entry": entry, "form": form})


@require_POST
def publish_entry(request, entry_id: int):
    entry = coverage.publish_entry(_entry(request, entry_id), user=request.user)
    messages.success(request, "Update posted.")
    return redirect("live:desk", entry.page_id)


@require_POST
def delete_entry(request, entry_id: int):
    entry = _entry(request, entry_id)
    form = DeleteEntryForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    coverage.delete_entry(entry, user=request.user, note=note)
    messages.success(request, "Update removed.")
    return redirect("live:desk", entry.page_id)


@require_POST
def mark_entry(request, entry_id: int):
    entry = get_object_or_404(LiveEntry.objects.select_related("page"), pk=entry_id)
    flags = {}
    for name in ("key_event", "pinned"):
        if name in request.POST:
            flags[name] = request.POST[name] == "1"
    try:
        coverage.mark_entry(entry, user=request.user, **flags)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("live:desk", entry.page_id)


@require_POST
def end_coverage(request, page_id: int):
    page = get_object_or_404(LivePage, pk=page_id)
    coverage.end_coverage(page, user=request.user)
    messages.success(request, "Coverage ended: the page now reads as an archive.")
    return redirect("live:desk", page.pk)
