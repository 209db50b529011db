from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "Staff"
    default = True  # this module also holds the admin's config, which is not the app's
    # The audit trail (audit/) keeps every change and staff view of these models.
    audited_models: dict[str, dict[str, tuple[str, ...] | bool]] = {
        "auth.User": {"masked": ("password",)},
        "auth.Group": {},
        # Issuing, following and completing a two-factor set-up link; setting up, confirming
        # and removing (lost phone) an authenticator app. Neither secret enters the trail.
        "staff.EnrolmentLink": {"masked": ("token_hash",)},
        "otp_totp.TOTPDevice": {"masked": ("key",)},
    }


class ClinicAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the clinic's site as ``admin.site`` (installed in its place)."""

    default = False
    default_site = "staff.sites.ClinicAdminSite"
