from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("<str:token>/", views.shared_page, name="page"),
    path("<str:token>/comments/", views.leave_comment, name="comment"),
]
