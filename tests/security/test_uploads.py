"""I-04: oversize and decompression-bomb uploads are refused by the admin with a clear message."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

import pytest
from PIL import Image as PILImage

from news.factories import make_image_file

MB = 1024 * 1024


@pytest.fixture(scope="module")
def decompression_bomb() -> bytes:
    """A 20,000 × 20,000 PNG (400 megapixels) that compresses to a few dozen kilobytes."""
    buffer = io.BytesIO()
    PILImage.new("1", (20_000, 20_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@pytest.fixture
def root_collection(db):
    # Migrations create it, but a transactional test elsewhere may have flushed the table.
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def add_image(client, collection, upload):
    return client.post(
        "/admin/images/add/", {"title": "Upload", "file": upload, "collection": collection.pk}
    )


def test_a_decompression_bomb_png_is_refused_with_the_pixel_limit(
    admin_client, root_collection, decompression_bomb
):
    assert len(decompression_bomb) < MB
    response = add_image(
        admin_client,
        root_collection,
        SimpleUploadedFile("bomb.png", decompression_bomb, content_type="image/png"),
    )
    assert response.status_code == 200  # the form again, with the error
    assert "This file has too many pixels" in response.text
    assert "Maximum pixels 64000000" in response.text
    assert not get_image_model().objects.exists()


def test_the_multiple_upload_refuses_the_bomb_too(
    admin_client, root_collection, decompression_bomb
):
    response = admin_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("bomb.png", decompression_bomb, content_type="image/png")},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is False
    assert "This file has too many pixels" in body["error_message"]
    assert not get_image_model().objects.exists()


def test_an_image_over_twenty_megabytes_is_refused(admin_client, root_collection):
    oversize = make_image_file(width=32, height=32, fmt="PNG") + b"\0" * (20 * MB + 1)
    response = add_image(
        admin_client,
        root_collection,
        SimpleUploadedFile("huge.png", oversize, content_type="image/png"),
    )
    assert response.status_code == 200
    assert "This file is too big (20.0\xa0MB). Maximum filesize 20.0\xa0MB." in response.text
    assert not get_image_model().objects.exists()


def test_a_normal_image_is_accepted(admin_client, root_collection):
    response = add_image(
        admin_client,
        root_collection,
        SimpleUploadedFile("photo.jpg", make_image_file(width=800, height=450), "image/jpeg"),
    )
    assert response.status_code == 302
    assert get_image_model().objects.get().width == 800


def add_document(client, collection, upload):
    return client.post(
        "/admin/documents/add/", {"title": "Upload", "file": upload, "collection": collection.pk}
    )


def test_a_document_over_twenty_megabytes_is_refused(admin_client, root_collection):
    response = add_document(
        admin_client,
        root_collection,
        SimpleUploadedFile("minutes.pdf", b"%PDF-1.7\n" + b"0" * (20 * MB), "application/pdf"),
    )
    assert response.status_code == 200
    assert "This file is too big" in response.text
    assert "Maximum filesize 20.0\xa0MB." in response.text
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "tool.exe", "script.js"])
def test_documents_that_a_browser_would_run_are_refused(admin_client, root_collection, name):
    response = add_document(
        admin_client, root_collection, SimpleUploadedFile(name, b"<script>alert(1)</script>")
    )
    assert response.status_code == 200
    assert "File extension" in response.text
    assert "is not allowed" in response.text
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("broken.gif", b"GIF89a" + b"\x00\x01garbage" * 20),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
    ],
)
def test_a_malformed_image_gets_a_clear_form_error_not_a_server_error(
    admin_client, root_collection, name, content
):
    response = add_image(admin_client, root_collection, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert "Upload a valid image" in response.text
    assert not get_image_model().objects.exists()
    multiple = admin_client.post(
        "/admin/images/multiple/add/", {"files[]": SimpleUploadedFile(name, content)}
    )
    assert multiple.status_code == 200
    assert multiple.json()["success"] is False
    assert not get_image_model().objects.exists()
