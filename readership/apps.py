from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    """What anonymous readers send us: views, reactions and moderated comments.

    Comments' admin permission policy (readership.permissions, narrowed to each person's
    stories) is registered by the editorial room, which knows who edits which story.
    """

    name = "readership"
    verbose_name = "Readership"
