"""Staff password reset (staff/signin/reset.py): beside the admin, under the names Django's
admin looks for (its sign-in page links to ``admin_password_reset`` when it exists)."""

from django.urls import path

from staff.signin import reset

urlpatterns = [
    path("", reset.StaffPasswordResetView.as_view(), name="admin_password_reset"),
    path("sent/", reset.StaffPasswordResetDoneView.as_view(), name="admin_password_reset_done"),
    path(
        "<uidb64>/<token>/",
        reset.StaffPasswordResetConfirmView.as_view(),
        name="admin_password_reset_confirm",
    ),
    path(
        "done/",
        reset.StaffPasswordResetCompleteView.as_view(),
        name="admin_password_reset_complete",
    ),
]
