"""Settings for the clinic intake service, read from the environment.

Every variable is documented in ``.env.example``. Development needs no server:
SQLite, a file-system Celery broker and e-mail written to files, all under ``var/``.
Production (``CLINIC_ENV=production``) refuses to start without a secret key and
turns on HTTPS-only cookies, HSTS and the other ``check --deploy`` settings.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path

import django_stubs_ext
from django.utils.csp import CSP

from clinic.env import Env, development_secret_key

# Lets the typed generics of django-stubs (ModelAdmin[Model], QuerySet[Model]) run.
django_stubs_ext.monkeypatch()

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.text("VAR_DIR", str(BASE_DIR / "var")))

CLINIC_ENV = env.choice("CLINIC_ENV", ("development", "production"), "development")
PRODUCTION = CLINIC_ENV == "production"

DEBUG = env.boolean("DEBUG", False)
if PRODUCTION and DEBUG:
    raise env.fail("DEBUG", "must be off when CLINIC_ENV=production")

SECRET_KEY = env.text("SECRET_KEY")
if SECRET_KEY is None:
    if PRODUCTION:
        raise env.fail("SECRET_KEY", "is required when CLINIC_ENV=production")
    SECRET_KEY = development_secret_key(VAR_DIR / "secret_key")
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise env.fail("SECRET_KEY", "must be at least 50 random characters in production")

ALLOWED_HOSTS = env.items(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise env.fail("ALLOWED_HOSTS", "list the host names the service answers to")
CSRF_TRUSTED_ORIGINS = env.items("CSRF_TRUSTED_ORIGINS", [])

# Absolute address of the site, for links in e-mails (status pages, admin).
SITE_URL = env.text("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin with the clinic's own site (staff/sites.py) as admin.site.
    "staff.apps.ClinicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "audit",
    "conditions",
    "notifications",
    "staff",
    "intake",
    "scheduling",
    "oauth2_provider",
    "interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The patient's language (switcher's cookie, else the browser's); staff pages in English.
    "clinic.languages.PatientLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "clinic.input_guard.RefuseNulMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "staff.signin.middleware.StaffIdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "staff.signin.middleware.StaffTwoFactorMiddleware",
    "audit.middleware.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "clinic" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.clinic",
            ],
        },
    },
]

DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes SQLite's write lock when it begins (BEGIN IMMEDIATE), so two
    # bookings cannot both check a slot free and then both insert: the second waits (up to
    # the timeout) and then sees the first one's appointment. PostgreSQL has the exclusion
    # constraint instead (scheduling/migrations/0002).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis serves the Celery broker and the shared cache (rate limits) when set.
REDIS_URL = env.url("REDIS_URL", None, ("redis", "rediss"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sign-in (staff/signin): Argon2 first; older hashes are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "staff.signin.backends.LockoutBackend",  # django-axes: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout: 5 wrong passwords for one username from one address pause it for 15 minutes.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "staff.signin.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429  # the lockout page answers "Too Many Requests"
AXES_CLIENT_IP_CALLABLE = "clinic.network.client_ip"
AUDIT_CLIENT_IP_CALLABLE = AXES_CLIENT_IP_CALLABLE  # the same address in the trail
# Reverse proxies of ours in front of the app that append to X-Forwarded-For (0: none).
TRUSTED_PROXY_COUNT = env.integer("TRUSTED_PROXY_COUNT", 0, maximum=5)
# Staff are signed out after 15 idle minutes; patients keep a session for 2 hours after
# their last step, so a slow questionnaire is not lost.
STAFF_IDLE_TIMEOUT = 15 * 60
SESSION_COOKIE_AGE = 2 * 60 * 60
SESSION_ENGINE = "clinic.sessions"  # Django's database sessions, one statement per write
# TOTP two-factor sign-in for therapists and managers (front desk may opt in).
STAFF_2FA_REQUIRED = env.boolean("STAFF_2FA_REQUIRED", PRODUCTION)
# Setting up (or replacing) an authenticator app needs a one-time link a clinic manager
# issues; it expires after this many hours.
STAFF_ENROLMENT_LINK_HOURS = env.integer(
    "STAFF_ENROLMENT_LINK_HOURS", 24, minimum=1, maximum=7 * 24
)
# Staff password reset by e-mail: the link works once, for this many seconds; requests per
# address and per e-mail address entered (django-ratelimit syntax).
PASSWORD_RESET_TIMEOUT = env.integer(
    "PASSWORD_RESET_TIMEOUT", 60 * 60, minimum=5 * 60, maximum=24 * 60 * 60
)
STAFF_PASSWORD_RESET_RATE = env.text("STAFF_PASSWORD_RESET_RATE", "5/h")
if not re.fullmatch(r"\d+/\d*[smhd]", STAFF_PASSWORD_RESET_RATE):
    raise env.fail("STAFF_PASSWORD_RESET_RATE", "must look like 5/h (a count per s, m, h or d)")

# Audit trail (audit/): django-auditlog's LogEntry table, append-only.
AUDITLOG_MASK_CALLABLE = "audit.masking.hide"
AUDITLOG_STORE_JSON_CHANGES = True
# Raw saves are fixture loads (loaddata), not anyone's change.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

LANGUAGE_CODE = "en-us"
# The languages patients read the site in (translations of the questionnaire are published
# in its FHIR form for each); without this list, Django's own hundred would be searched.
# Each app's catalogue is in its locale/ folder (compiled by scripts/compile_messages.py);
# the names are the staff's (English): patients see each in its own words.
LANGUAGES = [("en-us", "English"), ("es", "Spanish")]
# Listed, our catalogues come before those of the apps listed earlier (the admin's "Change"
# is "Modificar"), so that every patient string reads as we translated it.
LOCALE_PATHS = [BASE_DIR / app / "locale" for app in ("clinic", "intake", "scheduling", "interop")]
TIME_ZONE = env.time_zone("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "clinic" / "static"]
# Files browsers ask for at the site's root (favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "clinic" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Bulk export files: private, outside every folder the web server serves, read only
    # through the export's own authenticated address.
    "fhir_exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "fhir-exports"), "base_url": None},
    },
    # Documents patients send (referral letters, insurance cards): private the same way,
    # served only by the permission-checked staff view (intake/admin/documents.py).
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "documents"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# The largest document a patient may send (a phone's photo of a letter is 2 to 5 MB).
DOCUMENT_MAX_BYTES = env.integer(
    "DOCUMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=64 * 1024, maximum=50 * 1024 * 1024
)

# Outside production, WhiteNoise serves straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: EMAIL_URL is smtp://, smtp+tls://, smtp+ssl://, console: or file:///folder.
MAILERS = {"default": env.mailer("EMAIL_URL", f"file://{VAR_DIR / 'mail'}")}
# A second relay (another provider) for the one report of a mail outage (notifications/outages).
if env.text("FALLBACK_EMAIL_URL"):
    MAILERS["fallback"] = env.mailer("FALLBACK_EMAIL_URL", "")
# Text messages: SMS_URL is twilio://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com?from=+1555...,
# console: or file:///folder (the default: nothing leaves the machine).
SMS = env.sms("SMS_URL", f"file://{VAR_DIR / 'sms'}")
# The country calling code of numbers patients write without one ("1": the US and Canada).
SMS_COUNTRY_CODE = env.text("SMS_COUNTRY_CODE", "1")
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "Knee Clinic <no-reply@clinic.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The clinic as patients see it.
CLINIC_NAME = env.text("CLINIC_NAME", "Riverside Running Knee Clinic")
CLINIC_PHONE = env.text("CLINIC_PHONE", "(555) 010-0100")
EMERGENCY_NUMBER = env.text("EMERGENCY_NUMBER", "911")
# The unit patients give their weekly running distance in: "km" or "mi" (miles). Stored in
# km either way, as the questionnaire's contract says.
DISTANCE_UNIT = env.text("DISTANCE_UNIT", "km")
if DISTANCE_UNIT not in ("km", "mi"):
    raise env.fail("DISTANCE_UNIT", "must be km or mi")
# The reply to a patient's HELP text (carriers require one), and who is told when a number
# replies STOP or START (notifications/replies.py).
SMS_HELP_REPLY = (
    f"{CLINIC_NAME}: appointment messages. Call us on {CLINIC_PHONE}. "
    "Reply STOP to stop texts. Msg & data rates may apply."
)
SMS_CONSENT_HANDLER = "intake.services.contact.patients_sms_consent_changed"

# Final intake submissions allowed per address (django-ratelimit syntax, e.g. "5/h").
INTAKE_SUBMIT_RATE = env.text("INTAKE_SUBMIT_RATE", "5/h")
if not re.fullmatch(r"\d+/\d*[smhd]", INTAKE_SUBMIT_RATE):
    raise env.fail("INTAKE_SUBMIT_RATE", "must look like 5/h (a count per s, m, h or d)")
# A stale form (cookies cleared, a very old tab) gets a kind page rather than Django's.
CSRF_FAILURE_VIEW = "clinic.errors.csrf_failure"
# The account name staff see in their authenticator app.
OTP_TOTP_ISSUER = CLINIC_NAME

# Celery: Redis in production and tests; a broker folder under var/ otherwise.
# A task not acknowledged after this long goes back on Redis's queue (acks_late); a retry due
# later than half of it waits for the sweeper instead of a countdown.
BROKER_VISIBILITY_TIMEOUT = env.integer("CELERY_VISIBILITY_TIMEOUT", 600, minimum=30)
# The file-system broker's "localhost" names no server; without it kombu warns it assumed one.
CELERY_BROKER_URL = env.url(
    "CELERY_BROKER_URL",
    REDIS_URL or "filesystem://localhost/",
    ("redis", "rediss", "filesystem"),
)
if CELERY_BROKER_URL.startswith("filesystem"):
    _broker_dir, _control_dir = VAR_DIR / "broker", VAR_DIR / "broker-control"
    # Kombu's file-system transport expects its folders to exist in every process.
    for _folder in (_broker_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
        # The folder is polled; a short interval keeps demo e-mails within seconds.
        "polling_interval": 0.2,
    }
else:
    CELERY_BROKER_TRANSPORT = "clinic.broker:Transport"  # kombu's, without its exit on outage
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        # A publisher (web request, beat) tries to connect twice, then gives up at once:
        # without these, kombu keeps retrying for the whole connect timeout (~6 s).
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
CELERY_RESULT_BACKEND = env.url("CELERY_RESULT_BACKEND", REDIS_URL, ("redis", "rediss"))
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker retries a lost broker for as long as it takes (Celery's default gives up after
# 100 tries and exits: a long Redis outage would leave no worker when Redis is back).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Celery's Django fix-up otherwise opens a new database connection for every task; each
# task drops an unusable or old one first, and a failed task all of them (clinic/celery.py).
CELERY_DB_REUSE_MAX = 500
CELERY_TIMEZONE = TIME_ZONE
# A web request never waits long on a broker that is down: publish once more, then give up
# (notifications stay pending in the database and the sweeper publishes them later).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

# Notifications (notifications/): attempts, backoff and the sweeper's timings.
# A transient failure (4xx, refused, timed out) is retried with a doubling delay capped at
# NOTIFICATION_RETRY_MAX_DELAY, so a message waits at most that long after the server is
# back, until it is NOTIFICATION_MAX_AGE old; only then it fails. A 5xx reply fails at once.
NOTIFICATION_MAX_AGE = env.integer("NOTIFICATION_MAX_AGE", 24 * 3600, minimum=60)
NOTIFICATION_RETRY_BASE_DELAY = env.integer("NOTIFICATION_RETRY_BASE_DELAY", 30, minimum=1)
NOTIFICATION_RETRY_MAX_DELAY = env.integer("NOTIFICATION_RETRY_MAX_DELAY", 300, minimum=1)
# A mail outage (no message accepted since a transient failure) this long is reported once
# to NOTIFICATION_OUTAGE_RECIPIENTS (a callable returning addresses), over the "fallback"
# mailer (FALLBACK_EMAIL_URL: a second relay) when set, else the default one.
NOTIFICATION_OUTAGE_REPORT_AFTER = env.integer("NOTIFICATION_OUTAGE_REPORT_AFTER", 300, minimum=1)
NOTIFICATION_OUTAGE_RECIPIENTS = "intake.announcements.outage_recipients"
NOTIFICATION_SWEEP_INTERVAL = env.integer("NOTIFICATION_SWEEP_INTERVAL", 20, minimum=1)
NOTIFICATION_SWEEP_BATCH = 500
NOTIFICATION_TASK_TIME_LIMIT = 60
# A row still "sending" after this long belongs to a dead worker and is sent again. Keep it
# above NOTIFICATION_TASK_TIME_LIMIT, so a slow send is never mistaken for a dead one.
NOTIFICATION_SENDING_TIMEOUT = env.integer("NOTIFICATION_SENDING_TIMEOUT", 120, minimum=1)
# After the mail server accepted a message, recording "sent" is retried through a lost
# database connection (restart, failover) for this long; keep it under the task's time limit
# less the SMTP timeout (60 - 10 s), so it never runs into the sweeper's timeout.
NOTIFICATION_SENT_RETRY_SECONDS = env.integer("NOTIFICATION_SENT_RETRY_SECONDS", 30, minimum=0)
# Called with a notification that failed for good: the app that announced it tells someone.
NOTIFICATION_FAILURE_HANDLER = "intake.announcements.notification_failed"
NOTIFICATION_ROUTINE_REVIEW_DAYS = 2  # business days, Monday to Friday in TIME_ZONE

# Appointments (scheduling/). Cancelling less than this many hours before a visit is a late
# cancellation (patients are shown the window before they confirm); the reminder goes out
# this many hours before.
SCHEDULING_LATE_CANCEL_HOURS = env.integer("SCHEDULING_LATE_CANCEL_HOURS", 24, minimum=0)
SCHEDULING_REMINDER_HOURS = env.integer("SCHEDULING_REMINDER_HOURS", 24, minimum=1)
# Intake calls these without importing scheduling (which sits above it): a cancelled request
# frees its appointment's time; business-day counting skips the clinic's closures.
REQUEST_CANCELLED_HANDLER = "scheduling.services.appointments_cancel_with_request"
CLINIC_CLOSED_DAYS = "scheduling.selectors.closed_days"
# A site's opening hours for the red-flag steps that wait for them and the patient's promise.
CLINIC_SITE_HOURS = "scheduling.selectors.site_weekly_hours"
# The manager's dashboard figures about visits (no-show rate, time to the first appointment).
DASHBOARD_VISIT_FIGURES = "scheduling.selectors.outcomes.visit_figures"
# The staff page where a request's appointment is booked or moved (picking a free time).
REQUEST_SCHEDULE_URL_NAME = "admin:scheduling_appointment_book"
# `seed_demo`: the demo's opening and working hours, and how its scheduled requests are booked.
DEMO_SEEDERS = ["scheduling.demo.demo_availability_ensure"]
DEMO_BOOKING = "scheduling.demo.demo_book"

# The clinic's opening hours in TIME_ZONE, Monday (0) to Sunday (6); a day not listed is
# closed. Red-flag escalation steps marked "opening_hours" wait for the site's hours, and a
# patient with a red flag is told when someone will see their request: a site's own hours
# declared in scheduling (CLINIC_SITE_HOURS) and its closures, these for a site that
# declares none.
CLINIC_OPENING_HOURS: dict[int, tuple[time, time]] = {
    **{weekday: (time(8), time(18)) for weekday in range(5)},
    5: (time(8), time(12)),
}

# Red-flag alerts (intake/escalation.py): who is told about an urgent or emergency intake,
# and when, until someone acknowledges it. Each step: minutes after the alert is raised, who
# ("on_call": the on-call therapists; "site_therapists": every therapist at the request's
# site; "managers": the clinic managers; "alert_address": CLINIC_ALERT_EMAIL), and whether it
# waits for opening hours. A step that reaches nobody goes to CLINIC_ALERT_EMAIL. Patients are
# told the clinic calls them within "call_back_minutes" (of opening hours).
RED_FLAG_ALERTS: dict[str, dict[str, object]] = {
    "emergency": {
        "call_back_minutes": 60,
        "steps": [
            {"after_minutes": 0, "notify": ["on_call"]},
            {"after_minutes": 10, "notify": ["site_therapists", "managers"]},
            {"after_minutes": 20, "notify": ["alert_address"]},
        ],
    },
    "urgent": {
        "call_back_minutes": 240,
        "steps": [
            {"after_minutes": 0, "notify": ["on_call"]},
            {"after_minutes": 120, "notify": ["managers"], "opening_hours": True},
        ],
    },
}
# The clinic-wide address for red-flag alerts: a shared inbox or pager gateway someone always
# reads. Required in production (a system check stops start-up without it).
CLINIC_ALERT_EMAIL = env.email(
    "CLINIC_ALERT_EMAIL", None if PRODUCTION else "clinic-alerts@clinic.example"
)
# How often beat runs the escalation (seconds): well under the shortest step.
RED_FLAG_ESCALATION_INTERVAL = 30
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "intake.notifications_sweep",
        "schedule": NOTIFICATION_SWEEP_INTERVAL,
        "options": {"expires": NOTIFICATION_SWEEP_INTERVAL},
    },
    "red-flag-alerts-escalate": {
        "task": "intake.alerts_escalate",
        "schedule": RED_FLAG_ESCALATION_INTERVAL,
        "options": {"expires": RED_FLAG_ESCALATION_INTERVAL},
    },
    "notifications-escalate": {
        "task": "intake.notifications_escalate",
        "schedule": 60,
        "options": {"expires": 60},
    },
    # Once a day per referral (the service keeps the date); hourly so a restart misses none.
    "referrals-remind": {
        "task": "intake.referrals_remind",
        "schedule": 3600,
        "options": {"expires": 3600},
    },
    # Appointment reminders (scheduling/): each once, SCHEDULING_REMINDER_HOURS before.
    "appointments-remind": {
        "task": "scheduling.appointments_remind",
        "schedule": 300,
        "options": {"expires": 300},
    },
    "fhir-housekeeping": {
        "task": "interop.housekeeping",
        "schedule": 600,
        "options": {"expires": 600},
    },
}

# The FHIR R4 API, bulk export and patients' own copy (interop/).
# Systems authenticate with OAuth 2 client credentials (django-oauth-toolkit); each client
# is a interop.SystemClient a clinic manager creates in the staff admin.
OAUTH2_PROVIDER_APPLICATION_MODEL = "interop.SystemClient"
OAUTH2_PROVIDER = {
    # SMART Backend Services ask for tokens of at most five minutes.
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.integer("FHIR_TOKEN_SECONDS", 300, minimum=60, maximum=3600),
    "SCOPES_BACKEND_CLASS": "interop.api.scopes.SmartScopes",
    "OAUTH2_VALIDATOR_CLASS": "interop.api.validator.SystemClientValidator",
    # OAuth 2 security best practice (RFC 9700): only a checksum of each token is stored,
    # tokens travel only in the Authorization header, and the grants we never use are off.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    # The browser flows are never used here; they stay at their strictest all the same.
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# Reads per client (django-ratelimit syntax), and token requests per address.
FHIR_API_RATE = env.text("FHIR_API_RATE", "600/m")
if not re.fullmatch(r"\d+/\d*[smhd]", FHIR_API_RATE):
    raise env.fail("FHIR_API_RATE", "must look like 600/m (a count per s, m, h or d)")
FHIR_TOKEN_RATE = "30/m"  # noqa: S105 - a rate, not a secret
FHIR_PAGE_SIZE = 50
FHIR_PAGE_MAX = 500
# Export files are deleted this long after the export finished (beat, every 10 minutes).
FHIR_EXPORT_RETENTION_HOURS = env.integer("FHIR_EXPORT_RETENTION_HOURS", 24, minimum=1, maximum=720)
# Under the broker's visibility timeout, so a long export is never handed out twice.
FHIR_EXPORT_TIME_LIMIT = 540
# The product records when a visit starts, not how long it is: the end FHIR requires.
FHIR_APPOINTMENT_MINUTES = env.integer("FHIR_APPOINTMENT_MINUTES", 60, minimum=5, maximum=480)
# The patient's own copy: the e-mailed code's lifetime, tries, and codes sent per hour.
PATIENT_COPY_CODE_MINUTES = 10
PATIENT_COPY_CODE_ATTEMPTS = 5
PATIENT_COPY_CODES_PER_HOUR = 3
# How long the download stays open after the code was entered.
PATIENT_COPY_ACCESS_MINUTES = 15
# What the privacy notice says about keeping health records: the clinic's own policy in years
# (0: the notice says records are kept until the clinic deletes them; nothing deletes them).
RECORD_RETENTION_YEARS = env.integer("RECORD_RETENTION_YEARS", 0, maximum=100)

# Content-Security-Policy: no inline script or style; nonces for the few tags that need one.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/worker)?$"]  # load balancers probe over plain HTTP
    if env.boolean("TRUST_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOG_LEVEL = env.choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No signed token or query secret reaches a log (clinic/log_redaction.py).
    "filters": {"redact_secrets": {"()": "clinic.log_redaction.RedactSecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own default config sets its logger to INFO; LOG_LEVEL rules it here too.
        "django": {"level": LOG_LEVEL},
        "django.db.backends": {"level": "INFO"},
        # The development server's request lines stay visible under a quieter LOG_LEVEL.
        "django.server": {"level": "INFO"},
    },
}
