"""The patient's status page, reached by a signed, expiring link."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.urls import reverse

from intake.models import RequestStatus
from intake.status_links import SALT, STATUS_LINK_MAX_AGE, status_path, status_token
from tests.factories import LocationFactory, TherapistFactory, UserFactory, submit_intake

pytestmark = pytest.mark.django_db


class _SignedLongAgo(signing.TimestampSigner):
    """Signs as if at a moment `age_seconds` ago: a link made that long ago."""

    def __init__(self, age_seconds: float, **kwargs):
        super().__init__(**kwargs)
        self.age_seconds = age_seconds

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time() - self.age_seconds))


def old_token(reference: str, age_seconds: float) -> str:
    return _SignedLongAgo(age_seconds, salt=SALT).sign_object(reference)


@pytest.fixture
def request_():
    return submit_intake(location=LocationFactory(name="Riverside", address="1 River Road"))


def test_the_status_page_says_the_request_was_received(client, request_):
    page = client.get(status_path(request_)).content.decode()
    assert "Received</h2>" in page
    assert request_.reference in page
    assert "Riverside" in page
    assert "1 River Road" in page


def test_the_status_page_shows_no_clinical_detail(client, request_):
    page = client.get(status_path(request_)).content.decode().lower()
    for word in ("kneecap", "pain", "triage", "routine", "urgent", "score", "injury"):
        assert word not in page


def test_a_scheduled_visit_shows_its_time_in_the_clinics_zone_and_the_therapist(client, request_):
    therapist = TherapistFactory(user=UserFactory(first_name="Dana", last_name="Lee"))
    request_.status = RequestStatus.SCHEDULED
    # 15:30 UTC on a November day is 9:30 AM in Chicago.
    request_.scheduled_at = datetime(2026, 11, 30, 15, 30, tzinfo=ZoneInfo("UTC"))
    request_.scheduled_therapist = therapist
    request_.save()
    page = client.get(status_path(request_)).content.decode()
    assert "Monday 30 November 2026 at 9:30 AM (CST)" in page
    assert "Dana Lee" in page


def test_a_link_older_than_its_lifetime_gets_a_friendly_404(client, request_):
    token = old_token(request_.reference, STATUS_LINK_MAX_AGE.total_seconds() + 60)
    response = client.get(reverse("intake:status", args=[token]))
    assert response.status_code == 404
    assert "call us" in response.content.decode().lower()


def test_a_link_within_its_lifetime_works(client, request_):
    token = old_token(request_.reference, STATUS_LINK_MAX_AGE.total_seconds() - 3600)
    assert client.get(reverse("intake:status", args=[token])).status_code == 200


@pytest.mark.parametrize(
    "change", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "x"]
)
def test_an_altered_link_gets_a_friendly_404(client, request_, change):
    response = client.get(reverse("intake:status", args=[change(status_token(request_))]))
    assert response.status_code == 404
    assert "this link does not work" in response.content.decode()


def test_a_link_for_another_reference_cannot_be_forged(client, request_):
    forged = signing.dumps(request_.reference, salt="another.salt")
    assert client.get(reverse("intake:status", args=[forged])).status_code == 404


def test_cancelling_asks_first(client, request_):
    token = status_token(request_)
    page = client.get(reverse("intake:status_cancel", args=[token])).content.decode()
    assert "Yes, cancel my request</button>" in page
    request_.refresh_from_db()
    assert request_.status == RequestStatus.NEW


def test_the_patient_can_cancel_from_the_status_page(client, request_):
    token = status_token(request_)
    response = client.post(reverse("intake:status_cancel", args=[token]))
    assert response.url == reverse("intake:status", args=[token])
    page = client.get(response.url).content.decode()
    assert "Your request is cancelled" in page
    assert "Cancelled</h2>" in page
    assert "Cancel my request</a>" not in page
    request_.refresh_from_db()
    assert request_.status == RequestStatus.CANCELLED


def test_a_completed_request_cannot_be_cancelled(client, request_):
    request_.status = RequestStatus.COMPLETED
    request_.save()
    token = status_token(request_)
    client.post(reverse("intake:status_cancel", args=[token]))
    request_.refresh_from_db()
    assert request_.status == RequestStatus.COMPLETED


def test_cancelling_with_a_bad_link_changes_nothing(client, request_):
    response = client.post(reverse("intake:status_cancel", args=["forged"]))
    assert response.status_code == 404
    request_.refresh_from_db()
    assert request_.status == RequestStatus.NEW


def test_status_pages_are_not_cached_or_indexed(client, request_):
    response = client.get(status_path(request_))
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in response.content.decode()
