"""Images for imported stories: pictures next to a JSON Lines or CSV file, and a WordPress
export's media, downloaded from the export's own addresses only when the editor allows it."""

import logging
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from wagtail.images.fields import WagtailImageField
from wagtail.images.utils import get_allowed_image_extensions

import requests

from imports.blocks import ImageLookup
from imports.models import ImportedImage
from news.models import NewsImage

logger = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT = (5, 30)  # seconds to connect, seconds between bytes
# WordPress serves resized copies as name-300x200.jpg beside the original name.jpg.
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


def image_from_file(path: Path, *, title: str, alt: str) -> NewsImage:
    with path.open("rb") as handle:
        image = NewsImage(title=title[:255], description=alt, file=File(handle, name=path.name))
        image.save()
    return image


def is_image_address(url: str) -> bool:
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower().lstrip(".")
    return suffix in get_allowed_image_extensions()


def original_address(url: str) -> str:
    """The full-size file's address for a resized copy's (`photo-300x200.jpg` → `photo.jpg`)."""
    parts = urlsplit(url)
    return parts._replace(path=SIZE_SUFFIX.sub("", parts.path), query="", fragment="").geturl()


@dataclass
class Attachment:
    """A WordPress media library item, as its export describes it."""

    post_id: str
    url: str
    title: str
    alt_text: str
    caption: str


class DownloadError(Exception):
    pass


def download(url: str) -> SimpleUploadedFile:
    """The file at `url`, checked as Wagtail checks an upload (format, size, pixels)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise DownloadError("it is not a web address")
    field = WagtailImageField()
    limit = field.max_upload_size or 50 * 1024 * 1024
    try:
        with requests.get(url, stream=True, timeout=DOWNLOAD_TIMEOUT) as response:
            if response.status_code != 200:
                raise DownloadError(f"the server answered {response.status_code}")
            content = b""
            for chunk in response.iter_content(chunk_size=64 * 1024):
                content += chunk
                if len(content) > limit:
                    raise DownloadError(f"it is larger than {field.max_upload_size_text}")
    except requests.RequestException as error:
        raise DownloadError(f"it could not be fetched ({error.__class__.__name__})") from None
    name = unquote(PurePosixPath(urlsplit(url).path).name) or "image"
    try:
        return field.clean(SimpleUploadedFile(name[-100:], content))
    except ValidationError as error:
        raise DownloadError(" ".join(error.messages).rstrip(".").lower()) from None


class MediaLibrary:
    """Resolves an image a WordPress post shows (by attachment id or address) to a Wagtail
    image: one imported before, one downloaded now (`download=True`), or none, with why."""

    def __init__(self, attachments: dict[str, Attachment], *, download: bool):
        self.attachments = attachments
        self.by_address = {original_address(item.url): item for item in attachments.values()}
        self.download = download
        self.created = 0
        self.not_downloaded: set[str] = set()  # addresses left for --download-media
        self._failures: dict[str, str] = {}  # a failed address is not fetched twice in one run

    def image_for(self, *, attachment_id: str = "", url: str = "") -> ImageLookup:
        attachment = self.attachments.get(attachment_id) or (
            self.by_address.get(original_address(url)) if url else None
        )
        address = attachment.url if attachment else url
        if not address:
            return ImageLookup(
                problem=f"Image left out: attachment {attachment_id or '?'} is not in the export."
            )
        title = (attachment.title if attachment else "") or unquote(
            PurePosixPath(urlsplit(address).path).stem
        )
        alt = attachment.alt_text if attachment else ""
        known = ImportedImage.objects.filter(source_url=address).select_related("image").first()
        if known is not None:
            return ImageLookup(image_id=known.image_id, alt_text=alt, title=known.image.title)
        if len(address) > ImportedImage._meta.get_field("source_url").max_length:
            return ImageLookup(
                problem=f"Image left out: its address is too long ({address[:80]}…)."
            )
        if not self.download:
            self.not_downloaded.add(address)
            return ImageLookup(
                problem=f"Image not downloaded: run with --download-media to fetch {address}"
            )
        if address in self._failures:
            return ImageLookup(problem=self._failures[address])
        try:
            upload = download(address)
        except DownloadError as reason:
            problem = f"Image not downloaded from {address}: {reason}."
            logger.warning("import: %s", problem)
            self._failures[address] = problem
            return ImageLookup(problem=problem)
        with transaction.atomic():
            image = NewsImage(
                title=title[:255],
                description=alt[:255],
                caption=(attachment.caption if attachment else "")[:300],
                file=upload,
            )
            image.save()
            ImportedImage.objects.create(source_url=address, image=image)
        self.created += 1
        return ImageLookup(image_id=image.pk, alt_text=alt, title=image.title)
