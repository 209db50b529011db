"""The staff admin for intake, one module per page; importing them registers them. How things
are shown lives in `presenters`, the lists' filters in `filters`."""

from intake.admin import alerts, intakes, people, requests, reviews  # noqa: F401
