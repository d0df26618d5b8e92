"""Who plans which section.

The desk's rights follow the page permissions the newsroom already has (editorial/newsroom.py):
a section's planners are the people who may change its pages (editors, chiefs); its members are
those who may add pages there (writers too). Chief editors plan every section through one model
permission, `planning.plan_every_section`, given by this app's data migration.
"""

from django.contrib.auth.models import AnonymousUser

from wagtail.permission_policies.pages import PagePermissionPolicy

from news.models import NewsIndexPage

EVERY_SECTION = "planning.plan_every_section"


def plans_every_section(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(EVERY_SECTION))


def _section_ids(user, action: str) -> frozenset[int]:
    cache = user.__dict__.setdefault("_planning_sections", {})
    if action not in cache:
        if isinstance(user, AnonymousUser) or not user.is_active:
            cache[action] = frozenset()
        else:
            pages = PagePermissionPolicy().instances_user_has_permission_for(user, action)
            cache[action] = frozenset(
                NewsIndexPage.objects.filter(pk__in=pages.values("pk")).values_list("pk", flat=True)
            )
    return cache[action]


def desk_section_ids(user) -> frozenset[int] | None:
    """Sections whose plans `user` runs (accept, assign); None means every section."""
    if plans_every_section(user):
        return None
    return _section_ids(user, "change")


def member_section_ids(user) -> frozenset[int] | None:
    """Sections `user` may pitch to and see accepted plans of; None means every section."""
    if plans_every_section(user):
        return None
    return _section_ids(user, "add") | _section_ids(user, "change")


def runs_desk(user, section_id: int) -> bool:
    sections = desk_section_ids(user)
    return sections is None or section_id in sections


def is_member(user, section_id: int) -> bool:
    sections = member_section_ids(user)
    return sections is None or section_id in sections


def runs_any_desk(user) -> bool:
    sections = desk_section_ids(user)
    return sections is None or bool(sections)


def is_newsroom_member(user) -> bool:
    sections = member_section_ids(user)
    return sections is None or bool(sections)
