"""Point the default Wagtail site at the public origin, so canonical links, Open Graph and JSON-LD
URLs, feeds and sitemaps name the address readers actually use.

    manage.py set_site_origin                       # PUBLIC_BASE_URL
    manage.py set_site_origin https://news.example.com
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Site

from news.sites import set_default_site_origin


class Command(BaseCommand):
    help = "Set the default site's hostname and port from PUBLIC_BASE_URL (or the given origin)."

    def add_arguments(self, parser):
        parser.add_argument("origin", nargs="?", default=None)

    def handle(self, *args, origin=None, **options):
        origin = origin or settings.PUBLIC_BASE_URL
        if not origin:
            raise CommandError(
                "Give an origin, or set PUBLIC_BASE_URL (e.g. https://news.example.com)."
            )
        try:
            site = set_default_site_origin(origin)
        except ValueError as error:
            raise CommandError(str(error)) from None
        except Site.DoesNotExist:
            raise CommandError(
                "There is no default site yet: create one (seed_demo does)."
            ) from None
        if options["verbosity"]:
            self.stdout.write(f"The default site answers at {site.root_url}")
