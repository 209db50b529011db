"""The project's settings, with the baseline view's URLconf and a statement counter."""

from clinic.settings import *  # noqa: F403

ROOT_URLCONF = "submit_site.urls"
# First, so that it counts every statement of the request, middleware included.
MIDDLEWARE = ["submit_site.middleware.StatementCounter", *MIDDLEWARE]  # noqa: F405
