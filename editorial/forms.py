"""The admin's forms, as seen by one member of staff: page choosers (in panels and in StreamField
blocks) offer, accept and display only the pages that person may open in the admin
(editorial.access); an image's file is replaced only by someone who may publish the live pages
showing it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminPageChooser
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.models import Page

from PIL import UnidentifiedImageError

from editorial import publication_gate
from editorial.access import may_open_in_admin, visible_in_admin
from editorial.body_page_choices import limit_block_page_choices, refuse_hidden_block_pages
from news.media import live_pages_showing


class VisiblePageChooser(AdminPageChooser):
    """A page chooser that shows an empty choice instead of a page its user may not open."""

    def __init__(self, *, user, texts: BaseChooser | None = None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        if texts is not None:
            # The chooser it replaces may speak the newsroom's words ("Choose a story").
            for name in ("choose_one_text", "choose_another_text", "link_to_chosen_text"):
                setattr(self, name, getattr(texts, name))

    def get_instance(self, value):
        page = super().get_instance(value)
        if page is None or not may_open_in_admin(self.user, page):
            return None
        return page


def _page_choice_fields(form):
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and issubclass(field.queryset.model, Page):
            yield field


def limit_page_choices(form, user) -> None:
    """Every page choice in `form` and its inline forms narrowed to what `user` may open."""
    for field in _page_choice_fields(form):
        field.queryset = visible_in_admin(field.queryset, user)
        widget = field.widget
        if not isinstance(widget, AdminPageChooser):
            continue  # a list of choices (the byline's names) is narrowed with its queryset
        field.widget = VisiblePageChooser(
            user=user,
            target_models=getattr(widget, "target_models", None),
            can_choose_root=getattr(widget, "can_choose_root", False),
            user_perms=getattr(widget, "user_perms", None),
            attrs=widget.attrs,
            texts=widget,
        )
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            limit_page_choices(child, user)


class NewsroomPageForm(WagtailAdminPageForm):
    """Wagtail's page form, with `limit_page_choices` applied for the editing user, in its
    panels and inside its StreamField blocks (editorial.body_page_choices); a new story starts
    bylined to the writer who opens it; an embargo in force is kept from being brought forward
    or removed (publication_gate)."""

    embargo_override_reason = forms.CharField(
        label="Reason for lifting the embargo early",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when bringing an embargo in force forward or removing it (allowed to "
        "superusers when the newsroom permits overrides). Kept in the audit log.",
    )

    def __init__(self, *args, for_user=None, **kwargs):
        instance = kwargs.get("instance")
        new_story = instance is not None and instance.pk is None and hasattr(instance, "bylines")
        if new_story and for_user is not None and not args and kwargs.get("data") is None:
            instance.byline_writer(for_user)
        super().__init__(*args, for_user=for_user, **kwargs)
        self.embargo_lift = None
        if for_user is not None:
            limit_page_choices(self, for_user)
            limit_block_page_choices(self, for_user)
        if "embargo_until" not in self.fields or not publication_gate.may_override_embargo(
            for_user
        ):
            self.fields.pop("embargo_override_reason", None)

    def clean(self):
        cleaned = super().clean()
        if self.for_user is not None:
            refuse_hidden_block_pages(self, self.for_user)
        if "embargo_until" not in self.fields or "embargo_until" in self.errors:
            return cleaned
        previous = publication_gate.embargo_on_record(self.instance)
        new = cleaned.get("embargo_until")
        reason = cleaned.get("embargo_override_reason") or ""
        refused = publication_gate.embargo_lift_refusal(
            previous=previous, new=new, user=self.for_user, reason=reason
        )
        if refused:
            field = "embargo_override_reason" if "embargo_override_reason" in self.fields else None
            self.add_error(field or "embargo_until", refused)
        elif previous and previous > timezone.now() and (new is None or new < previous):
            self.embargo_lift = {"previous": previous, "new": new, "reason": reason}
        return cleaned

    def save(self, commit=True):
        page = super().save(commit=commit)
        if self.embargo_lift is not None:
            publication_gate.log_embargo_lift(page, user=self.for_user, **self.embargo_lift)
        return page


class DecodedImageField(WagtailImageField):
    """Wagtail's image field, for which a file whose header names a format but whose data
    cannot be decoded (a truncated GIF) is an invalid image, not a server error."""

    def to_python(self, data):
        try:
            return super().to_python(data)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as broken:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from broken


class NewsroomImageForm(BaseImageForm):
    """Wagtail's image form, except that replacing the file of an image a live page shows needs
    the right to publish every such page: otherwise readers would see the new picture at once,
    with nobody who may publish having approved it."""

    def __init__(self, *args, **kwargs):
        self.for_user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        file_field = self.fields.get("file")
        if type(file_field) is WagtailImageField:
            # Wagtail builds the field itself (images.forms.formfield_for_dbfield).
            file_field.__class__ = DecodedImageField

    def clean(self):
        cleaned = super().clean()
        if "file" in self.changed_data and self.instance.pk and self.for_user is not None:
            blocked = [
                page
                for page in live_pages_showing(self.instance)
                if not page.permissions_for_user(self.for_user).can_publish()
            ]
            if blocked:
                self.add_error(
                    "file",
                    "This picture is on published pages ("
                    + ", ".join(page.title for page in blocked[:3])
                    + "): only someone who may publish them can replace the file. "
                    "Upload a new image instead.",
                )
        return cleaned
