"""Demo newsroom accounts for `make run`: a writer, an editor and a chief editor.

Installs the roles and the News desk workflow on the news section (run it after seed_demo),
then creates or updates one account per role. Passwords are generated once and kept in the
data directory (`.data/demo_<username>_password`, mode 600), like the admin's; each run prints
the logins.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from editorial.newsroom import CHIEF_EDITORS, EDITORS, WRITERS, install_newsroom
from news.models import StaffIndexPage, StaffProfilePage

DEMO_ACCOUNTS = [
    ("writer", WRITERS, "Wren Writer", "Reporter"),
    ("editor", EDITORS, "Eddie Editor", "Copy editor"),
    ("chief", CHIEF_EDITORS, "Cleo Chief", "Editor-in-chief"),
]


def data_dir() -> Path:
    return Path(os.environ.get("MASTHEAD_DATA_DIR", settings.BASE_DIR / ".data")).resolve()


def stored_password(username: str) -> str:
    password_file = data_dir() / f"demo_{username}_password"
    if not password_file.exists():
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(secrets.token_urlsafe(12))
        password_file.chmod(0o600)
    return password_file.read_text().strip()


class Command(BaseCommand):
    help = "Create the demo writer, editor and chief editor accounts and print their logins."

    @transaction.atomic
    def handle(self, *args, **options):
        install_newsroom()
        staff_index = StaffIndexPage.objects.first()
        for username, group_name, full_name, role in DEMO_ACCOUNTS:
            first, last = full_name.split(" ", 1)
            user, _ = get_user_model().objects.update_or_create(
                username=username,
                defaults={
                    "email": f"{username}@masthead.local",
                    "first_name": first,
                    "last_name": last,
                    "is_active": True,
                },
            )
            user.set_password(stored_password(username))
            user.save()
            user.groups.add(Group.objects.get(name=group_name))
            if staff_index and not StaffProfilePage.objects.filter(user=user).exists():
                staff_index.add_child(
                    instance=StaffProfilePage(title=full_name, role=role, user=user)
                ).save_revision().publish()
            self.stdout.write(f"{group_name[:-1]:<13} {username:<8} {stored_password(username)}")
