from django.urls import path

from clinic.signin import views

app_name = "signin"

urlpatterns = [
    path("code/", views.verify, name="verify"),
    path("set-up/", views.enrol, name="enrol"),
]
