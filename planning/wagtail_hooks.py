from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from planning import desk, views
from planning.dashboard import MyWorkPanel
from planning.viewsets import PlanningViewSetGroup

app_name = "planning"
urlpatterns = [path("budget/", views.story_budget, name="budget")]


@hooks.register("register_admin_viewset")
def register_planning_viewsets():
    return PlanningViewSetGroup()


@hooks.register("register_admin_urls")
def register_budget_url():
    return [path("planning/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_budget_menu_item():
    # In the main menu, under Pages: the day's plan and everything scheduled.
    return MenuItem("Story budget", reverse("planning:budget"), icon_name="time", order=150)


@hooks.register("construct_homepage_panels")
def add_my_work_panel(request, panels):
    panels.append(MyWorkPanel())


@hooks.register("register_log_actions")
def register_planning_log_actions(actions):
    actions.register_action(desk.ACCEPT, "Accept pitch", "Pitch accepted and assigned")
    actions.register_action(desk.DECLINE, "Decline pitch", "Pitch declined")
    actions.register_action(desk.PARK, "Park pitch", "Pitch parked")
    actions.register_action(desk.START_DRAFT, "Start draft", "Draft started from the assignment")
    actions.register_action(desk.KILL, "Kill assignment", "Assignment killed")
    actions.register_action(desk.REMIND, "Reminder", "Reminder sent")
