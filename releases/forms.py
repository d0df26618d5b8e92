from django.core.exceptions import ValidationError

from wagtail.admin.forms import WagtailAdminModelForm


class ReleaseBundleForm(WagtailAdminModelForm):
    """Each page added records its latest revision (the one approved for the release) and who
    added it: the person whose right to publish it is checked at release time."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.status != self.instance.Status.SCHEDULED:
            raise ValidationError("This bundle has been released or refused; start a new one.")
        for form in self.formsets["items"].forms:
            page = form.cleaned_data.get("page") if hasattr(form, "cleaned_data") else None
            if page is not None and page.latest_revision_id is None:
                form.add_error("page", "This page has no saved version to release.")
        return cleaned

    def save(self, commit=True):
        bundle = super().save(commit=False)
        if bundle.created_by_id is None:
            bundle.created_by = self.for_user
        for item in bundle.items.all():
            if item.revision_id != item.page.latest_revision_id or item.added_by_id is None:
                item.revision_id = item.page.latest_revision_id
                item.added_by = self.for_user
        if commit:
            bundle.save()
        return bundle
