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
IMAGE_PERMISSIONS = {
    WRITERS: ["add_image", "choose_image"],
    EDITORS: ["add_image", "change_image", "choose_image"],
    CHIEF_EDITORS: ["add_image", "change_image", "choose_image", "delete_image"],
}
# (app label, model, actions) per role.
SNIPPET_PERMISSIONS = {
    WRITERS: [("news", "source", ["view"])],
    EDITORS: [("news", "source", ["add", "change", "view"])],
    CHIEF_EDITORS: [
        ("news", "source", ["add", "change", "delete", "view"]),
        ("news", "breakingnews", ["add", "change", "delete", "view"]),
    ],
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
        if root_collection is not None:
            for codename in IMAGE_PERMISSIONS[name]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(apps, "wagtailimages", "image", codename),
                )
        groups[name] = group
    return groups


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
    workflow = install_workflow(apps, groups)
    install_page_permissions(apps, groups, workflow)
