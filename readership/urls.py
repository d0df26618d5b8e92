from django.urls import path

from readership import views

app_name = "readership"

urlpatterns = [
    path("views/", views.view_beacon, name="view"),
    path("reactions/<int:article_id>/", views.react, name="react"),
    path("comments/<int:article_id>/", views.comment, name="comment"),
]
