"""The staff admin for intake, one module per concern; importing them registers them."""

from intake.admin import intakes, notifications, people, requests  # noqa: F401
