"""The newsroom's roles and its News desk workflow, installed idempotently.

Every function takes an app registry, so the data migration runs it on historical models and
`manage.py create_demo_staff` (or a test) runs it again once the news section exists: groups,
collection and snippet permissions and the workflow's tasks come from the migration; the page
permissions and the workflow's attachment need the "News" section and the staff index, and are
added whenever those pages exist. Running it twice changes nothing.
"""

WRITERS = "Writers"
EDITORS = "Editors"
CHIEF_EDITORS = "Chief editors"
WORKFLOW_NAME = "News desk"
COPY_EDIT = "Copy edit"
PUBLICATION_APPROVAL = "Publication approval"

# Page permissions on the news section. "add" alone lets a writer edit only the pages they own.
NEWS_PAGE_PERMISSIONS = {
    WRITERS: ["add_page"],
    EDITORS: ["add_page", "change_page"],
    CHIEF_EDITORS: [
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
}
STAFF_PAGE_PERMISSIONS = {CHIEF_EDITORS: ["add_page", "change_page", "publish_page"]}
# Wagtail checks image permissions against wagtailimages.Image even for a custom image model.
# "change" edits an image's details; replacing the file of an image a live page shows also
# needs the right to publish that page (editorial.media), which only chief editors hold.
IMAGE_PERMISSIONS = {
    WRITERS: ["add_image", "choose_image"],
    EDITORS: ["add_image", "change_image", "choose_image"],
    CHIEF_EDITORS: ["add_image", "change_image", "choose_image", "delete_image"],
}
# Changing a document replaces a file readers may already have been sent: chief editors only.
DOCUMENT_PERMISSIONS = {
    WRITERS: ["choose_document"],
    EDITORS: ["add_document", "choose_document"],
    CHIEF_EDITORS: ["add_document", "change_document", "choose_document", "delete_document"],
}
# Wagtail's first migrations create this group with add/change/publish/lock on the whole tree and
# every image and document right: one assignment away from publishing anything. It keeps no right.
WAGTAIL_MODERATORS = "Moderators"
# (app label, model, actions) per role.
# Reader comments: writers see those on their own stories, editors moderate their sections',
# chiefs all (narrowed to those stories by editorial.comment_moderation).
SNIPPET_PERMISSIONS = {
    WRITERS: [("news", "source", ["view"]), ("readership", "comment", ["view"])],
    EDITORS: [
        ("news", "source", ["add", "change", "view"]),
        ("readership", "comment", ["change", "view"]),
        ("releases", "releasebundle", ["add", "change", "view"]),
    ],
    CHIEF_EDITORS: [
        ("news", "source", ["add", "change", "delete", "view"]),
        ("news", "breakingnews", ["add", "change", "delete", "view"]),
        ("readership", "comment", ["change", "delete", "view"]),
        ("releases", "releasebundle", ["add", "change", "delete", "view"]),
    ],
}

# Further model permissions by codename: (app label, model, codename) per role.
MODEL_PERMISSIONS = {
    WRITERS: [],
    EDITORS: [],
    CHIEF_EDITORS: [("planning", "pitch", "plan_every_section")],
}


def _permission(apps, app_label: str, model: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def install_groups(apps) -> dict:
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    root_collection = Collection.objects.filter(depth=1).first()
    groups = {}
    for name in (WRITERS, EDITORS, CHIEF_EDITORS):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for app_label, model, actions in SNIPPET_PERMISSIONS[name]:
            group.permissions.add(
                *(_permission(apps, app_label, model, f"{action}_{model}") for action in actions)
            )
        group.permissions.add(
            *(_permission(apps, *permission) for permission in MODEL_PERMISSIONS[name])
        )
        if root_collection is not None:
            media = [
                _permission(apps, "wagtailimages", "image", codename)
                for codename in IMAGE_PERMISSIONS[name]
            ] + [
                _permission(apps, "wagtaildocs", "document", codename)
                for codename in DOCUMENT_PERMISSIONS[name]
            ]
            for permission in media:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
            # Exactly these: Wagtail's data migrations gave its "Editors" group more.
            GroupCollectionPermission.objects.filter(
                group=group, permission__content_type__app_label__in=MEDIA_APPS
            ).exclude(collection=root_collection, permission__in=media).delete()
        group.permissions.remove(*group.permissions.filter(content_type__app_label__in=MEDIA_APPS))
        groups[name] = group
    return groups


MEDIA_APPS = ("wagtailimages", "wagtaildocs")


def strip_wagtail_moderators(apps) -> None:
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    for group in Group.objects.filter(name=WAGTAIL_MODERATORS):
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()
        group.permissions.clear()


def install_workflow(apps, groups: dict):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    steps = [
        ("newsroomapprovaltask", COPY_EDIT, groups[EDITORS]),
        ("publicationchecklisttask", PUBLICATION_APPROVAL, groups[CHIEF_EDITORS]),
    ]
    for order, (model, name, group) in enumerate(steps):
        task_model = apps.get_model("editorial", model)
        content_type, _ = ContentType.objects.get_or_create(app_label="editorial", model=model)
        task = task_model.objects.filter(name=name).first()
        if task is None:
            task = task_model.objects.create(name=name, content_type=content_type, active=True)
        task.groups.add(group)
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task_id=task.pk, defaults={"sort_order": order}
        )
    return workflow


def news_section(apps):
    """The top "News" section (slug news, directly under the home page), if it exists yet."""
    NewsIndexPage = apps.get_model("news", "NewsIndexPage")
    return NewsIndexPage.objects.filter(slug="news").order_by("depth", "path").first()


def install_page_permissions(apps, groups: dict, workflow) -> None:
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    StaffIndexPage = apps.get_model("news", "StaffIndexPage")
    news = news_section(apps)
    staff_indexes = list(StaffIndexPage.objects.values_list("pk", flat=True))
    # Wagtail's first migration gives its own "Editors" group add/edit on the whole tree; here
    # the roles hold page permissions on the news section and the staff index only.
    GroupPagePermission.objects.filter(group__in=groups.values()).exclude(
        page_id__in=[*staff_indexes, *([news.pk] if news else [])]
    ).delete()
    if news is not None:
        for name, codenames in NEWS_PAGE_PERMISSIONS.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name],
                    page_id=news.pk,
                    permission=_permission(apps, "wagtailcore", "page", codename),
                )
        WorkflowPage.objects.update_or_create(page_id=news.pk, defaults={"workflow": workflow})
    for staff_id in staff_indexes:
        for name, codenames in STAFF_PAGE_PERMISSIONS.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name],
                    page_id=staff_id,
                    permission=_permission(apps, "wagtailcore", "page", codename),
                )


def install_newsroom(apps=None) -> None:
    """Groups, permissions and the News desk workflow; idempotent."""
    if apps is None:
        from django.apps import apps
    groups = install_groups(apps)
    strip_wagtail_moderators(apps)
    workflow = install_workflow(apps, groups)
    install_page_permissions(apps, groups, workflow)
