"""What the clinic declares about when people can be seen (each site's opening hours and
closures, each therapist's weekly hours per site and time off, the kinds of appointment) and
the appointments booked against it.

Times of day are wall-clock times in the clinic's time zone (``settings.TIME_ZONE``): a
therapist who works 08:00-12:00 on Mondays does so in winter and in summer, and the slot
computation turns them into instants day by day, so a daylight-saving change moves nobody.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from intake.models import AppointmentRequest, Location, Therapist


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class _WeeklyHours(models.Model):
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField(help_text="Local time (the clinic's time zone).")
    ends = models.TimeField(help_text="Local time (the clinic's time zone).")

    class Meta:
        abstract = True
        ordering = ["weekday", "starts"]

    def clean(self) -> None:
        if self.starts is not None and self.ends is not None and self.ends <= self.starts:
            raise ValidationError({"ends": "The end must come after the start."})


class SiteHours(_WeeklyHours):
    """When a site is open on a day of the week (a site may open twice a day). A day with no
    row is a day the site is closed."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")

    class Meta(_WeeklyHours.Meta):
        verbose_name = "site opening hours"
        verbose_name_plural = "site opening hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="site_hours_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.location}: {self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"
        )


class Closure(models.Model):
    """A day a site (or, without one, every site) is closed: a public holiday, a training day.
    No slot is offered on it, and business-day counting skips it when every site is closed."""

    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text="Empty: every site is closed.",
    )
    day = models.DateField()
    name = models.CharField(max_length=100, help_text="For example “Thanksgiving”.")

    class Meta:
        ordering = ["day"]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.day:%Y-%m-%d}, {self.location or 'all sites'})"


class SiteBooking(models.Model):
    """Whether patients may book online at a site (a site without a row allows it)."""

    location = models.OneToOneField(Location, on_delete=models.CASCADE, related_name="booking")
    self_booking = models.BooleanField(
        default=True, help_text="Offer patients free times at the end of the intake."
    )

    class Meta:
        verbose_name = "online booking at a site"
        verbose_name_plural = "online booking at sites"

    def __str__(self) -> str:
        return f"{self.location}: {'online booking' if self.self_booking else 'no online booking'}"


class WorkingHours(_WeeklyHours):
    """When a therapist sees patients at a site on a day of the week."""

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="working_hours")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="working_hours")

    class Meta(_WeeklyHours.Meta):
        verbose_name = "working hours"
        verbose_name_plural = "working hours"
        ordering = ["therapist", "weekday", "starts"]
        indexes = [models.Index(fields=["location", "therapist"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")),
                name="working_hours_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.therapist} at {self.location}: "
            f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"
        )


class TimeOff(models.Model):
    """A stretch when a therapist sees nobody (leave, a course, an afternoon off)."""

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name_plural = "time off"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["therapist", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="time_off_end_after_start",
            )
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.therapist} off from {start:%Y-%m-%d %H:%M}"


class AppointmentType(models.Model):
    """A kind of visit and how long it takes; the buffer keeps the therapist free after it
    (notes, cleaning the table)."""

    INITIAL_ASSESSMENT = "initial"
    FOLLOW_UP = "follow_up"

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=60)
    minutes = models.PositiveSmallIntegerField()
    buffer_minutes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["minutes", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0), name="appointment_type_has_length"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.minutes} min)"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "No-show"
    LATE_CANCEL = "late_cancel", "Late cancellation"


# The statuses that hold the therapist's time: the exclusion constraint's condition.
HOLDS_TIME = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW)


class Appointment(models.Model):
    """One visit: a therapist's time at a site for an appointment request. ``busy_until`` is
    the end plus the type's buffer: no two appointments of a therapist that hold time may
    overlap over [starts_at, busy_until) (on PostgreSQL an exclusion constraint, made by
    migration 0002, guarantees it)."""

    request = models.ForeignKey(
        AppointmentRequest, on_delete=models.PROTECT, related_name="appointments"
    )
    therapist = models.ForeignKey(Therapist, on_delete=models.PROTECT, related_name="bookings")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="appointments")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    busy_until = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    # The calendar invite: one UID for the appointment's life, SEQUENCE raised on each move.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    booked_by_patient = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["location", "starts_at"]),
            models.Index(fields=["therapist", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at"))
                & models.Q(busy_until__gte=models.F("ends_at")),
                name="appointment_ends_after_start",
            ),
            # One live appointment per request: moving changes it, it is not booked twice.
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status=AppointmentStatus.BOOKED),
                name="one_booked_appointment_per_request",
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.request.reference} with {self.therapist} on {start:%Y-%m-%d %H:%M}"
