"""What staff may do to pictures and documents readers already see, and what a reader can fetch
of a picture only a draft uses."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.models import GroupCollectionPermission, GroupPagePermission
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import querydict_from_html

import pytest

from news.factories import ArticlePageFactory, NewsImageFactory, make_image_file

pytestmark = pytest.mark.django_db


def replace_file(client, image):
    """The image's edit form as the browser would post it, with a new file chosen."""
    html = client.get(f"/admin/images/{image.pk}/").content.decode()
    forms = WagtailTestUtils.get_soup(html).find_all("form")
    index = next(i for i, form in enumerate(forms) if form.get("enctype") == "multipart/form-data")
    data = {
        name: values if len(values) > 1 else values[0]
        for name, values in querydict_from_html(html, form_index=index).lists()
    }
    data["file"] = SimpleUploadedFile(
        "replacement.jpg", make_image_file(width=640, height=360, seed=99), "image/jpeg"
    )
    return client.post(f"/admin/images/{image.pk}/", data)


def test_an_editor_cannot_swap_the_picture_on_a_live_story_the_chief_can(newsroom, staff, as_role):
    image = NewsImageFactory(title="Harbour at dawn")
    ArticlePageFactory(parent=newsroom["news"], title="Harbour reopens", lead_image=image)
    original = image.file.name

    refused = replace_file(as_role("editor"), image)
    assert refused.status_code == 200
    assert "only someone who may publish them can replace the file" in refused.content.decode()
    image.refresh_from_db()
    assert image.file.name == original and default_storage.exists(original)

    assert replace_file(as_role("chief"), image).status_code == 302
    image.refresh_from_db()
    assert image.file.name != original and image.width == 640


def test_an_editor_still_replaces_the_file_of_a_picture_no_live_page_shows(
    newsroom, staff, as_role
):
    image = NewsImageFactory(title="Unused portrait")
    ArticlePageFactory(parent=newsroom["news"], draft=True, lead_image=image)
    assert replace_file(as_role("editor"), image).status_code == 302


def collection_rights(group: str) -> set[str]:
    return set(
        GroupCollectionPermission.objects.filter(group__name=group).values_list(
            "permission__codename", flat=True
        )
    )


def test_roles_hold_exactly_their_media_rights_and_wagtails_moderators_none(newsroom, staff):
    assert collection_rights("Writers") == {"add_image", "choose_image", "choose_document"}
    # Wagtail's data migrations gave its "Editors" group change/delete on every document and
    # delete on every image; the newsroom's editors keep add and choose (and their own uploads).
    assert collection_rights("Editors") == {
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "choose_document",
    }
    assert {"change_document", "delete_document", "delete_image"} <= collection_rights(
        "Chief editors"
    )
    assert not GroupPagePermission.objects.filter(group__name="Moderators").exists()
    assert collection_rights("Moderators") == set()


def test_a_rendition_of_a_draft_only_picture_has_no_guessable_name(newsroom):
    image = NewsImageFactory(title="Embargoed summit photo")
    ArticlePageFactory(parent=newsroom["news"], draft=True, lead_image=image)
    stem = image.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]

    thumbnail = image.get_rendition("max-165x165")  # what the admin's listing makes

    guessable = f"images/{stem}.max-165x165.jpg"
    assert thumbnail.file.name != guessable
    assert not default_storage.exists(guessable)
    folder = thumbnail.file.name.split("/")[1]
    assert len(folder) == 16 and default_storage.exists(thumbnail.file.name)
    assert image.get_rendition("max-165x165").file.name == thumbnail.file.name  # reused
