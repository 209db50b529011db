"""The outbox: messages recorded with their event and published on commit, none published
for a rolled-back event, the sweeper and the retry, and the notification log. No worker
here: delivery is in tests/integration/test_notification_delivery.py."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
import redis
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.announcements import NotificationKind
from intake.models import Location
from notifications.delivery import message_id
from notifications.models import Notification, NotificationStatus
from notifications.outbox import Recipient, notifications_forget, notifications_record
from notifications.sweeper import notifications_retry, notifications_sweep
from staff import roles
from tests.factories import LocationFactory, TherapistFactory, UserFactory, submit_intake
from tests.services import RedisServer, Services

pytestmark = pytest.mark.django_db


@pytest.fixture
def site() -> Location:
    return LocationFactory(name="Riverside")


def specialist(location: Location, *, username: str) -> None:
    TherapistFactory(user=UserFactory(username=username), locations=[location])


def staff(group: str, username: str) -> User:
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def test_notifications_are_published_when_the_request_commits(
    site: Location, services: Services, django_capture_on_commit_callbacks
) -> None:
    specialist(site, username="pf")
    queue = redis.Redis.from_url(services.redis.url)
    queue.delete("celery")

    with django_capture_on_commit_callbacks() as callbacks:
        request = submit_intake(location=site)
        published_before_commit = queued_ids(queue)
    for callback in callbacks:
        callback()

    ids = set(Notification.objects.filter(topic=request.reference).values_list("pk", flat=True))
    assert len(ids) == 2
    assert published_before_commit == set()
    assert queued_ids(queue) == ids


def test_one_event_is_one_publish_however_many_are_told(
    site: Location, services: Services, django_capture_on_commit_callbacks
) -> None:
    for number in range(6):
        specialist(site, username=f"pf{number}")
    queue = redis.Redis.from_url(services.redis.url)
    queue.delete("celery")

    with django_capture_on_commit_callbacks(execute=True):
        request = submit_intake(location=site)

    ids = set(Notification.objects.filter(topic=request.reference).values_list("pk", flat=True))
    tasks = queued_tasks(queue)
    assert len(ids) == 7
    assert len(tasks) == 1
    assert set(tasks[0][1]) == ids


def test_recording_again_records_nothing_twice(site: Location) -> None:
    def record(addresses: list[str]) -> list[Notification]:
        return notifications_record(
            topic="K7P3-QX9M",
            kind=NotificationKind.PATIENT_SCHEDULED,
            subject="Booked",
            template="intake/email/patient_scheduled",
            context={},
            recipients=[Recipient(address) for address in addresses],
        )

    first = record(["a@example.com", "b@example.com", "a@example.com"])
    second = record(["b@example.com", "c@example.com"])

    assert [n.recipient for n in first] == ["a@example.com", "b@example.com"]
    assert [n.recipient for n in second] == ["c@example.com"]
    assert Notification.objects.filter(topic="K7P3-QX9M").count() == 3


def test_nothing_is_recorded_or_published_when_the_transaction_rolls_back(
    site, django_capture_on_commit_callbacks
) -> None:
    specialist(site, username="pf")

    def submit_then_fail() -> None:
        with transaction.atomic():
            submit_intake(location=site)
            raise RuntimeError("the view failed after submitting")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        submit_then_fail()

    assert callbacks == []
    assert not Notification.objects.exists()


def test_a_broker_outage_does_not_fail_the_submission(
    site: Location, redis_server: RedisServer, django_capture_on_commit_callbacks
) -> None:
    specialist(site, username="pf")
    redis_server.stop()

    with django_capture_on_commit_callbacks(execute=True):
        request = submit_intake(location=site)

    statuses = set(
        Notification.objects.filter(topic=request.reference).values_list("status", flat=True)
    )
    assert statuses == {NotificationStatus.PENDING}


def test_message_id_is_stable_and_names_the_notification(site: Location) -> None:
    request = submit_intake(location=site)
    notification = Notification.objects.get(kind=NotificationKind.PATIENT_ACK)

    assert message_id(notification) == message_id(Notification.objects.get(pk=notification.pk))
    assert message_id(notification) == (
        f"<notification-{notification.pk}.{request.reference}@clinic.example>"
    )


def test_sweeper_publishes_pending_rows_left_behind_and_frees_stuck_ones(
    site: Location, services: Services
) -> None:
    request = submit_intake(location=site)
    ack = Notification.objects.get(topic=request.reference, kind=NotificationKind.PATIENT_ACK)
    now = timezone.now()
    Notification.objects.filter(pk=ack.pk).update(next_attempt_at=now - timedelta(minutes=5))
    stuck = Notification.objects.create(
        topic=request.reference,
        kind=NotificationKind.NEW_REQUEST_STAFF,
        subject="New appointment request",
        template="intake/email/new_request_staff",
        recipient="x@clinic.example",
        status=NotificationStatus.SENDING,
        attempts=1,
        claimed_at=now - timedelta(minutes=10),
    )
    queue = redis.Redis.from_url(services.redis.url)
    queue.delete("celery")

    published = notifications_sweep(now=now)

    stuck.refresh_from_db()
    assert stuck.status == NotificationStatus.PENDING
    assert published == 2
    assert queued_ids(queue) == {ack.pk, stuck.pk}


def test_retry_puts_failed_notifications_back_in_the_queue(
    site: Location, services: Services, django_capture_on_commit_callbacks
) -> None:
    queue = redis.Redis.from_url(services.redis.url)
    queue.delete("celery")
    submit_intake(location=site)
    failed = Notification.objects.get(kind=NotificationKind.PATIENT_ACK)
    Notification.objects.filter(pk=failed.pk).update(
        status=NotificationStatus.FAILED, attempts=5, last_error="550 no such user"
    )

    with django_capture_on_commit_callbacks(execute=True):
        count = notifications_retry(notifications=[Notification.objects.get(pk=failed.pk)])

    failed.refresh_from_db()
    assert count == 1
    assert (failed.status, failed.attempts) == (NotificationStatus.PENDING, 0)
    assert failed.pk in queued_ids(queue)


def test_managers_see_the_notification_log_and_the_front_desk_does_not(
    site: Location, client: Client
) -> None:
    request = submit_intake(location=site)
    manager, desk = staff(roles.CLINIC_MANAGER, "boss"), staff(roles.FRONT_DESK, "desk")
    manager.user_permissions.add(Permission.objects.get(codename="view_notification"))
    url = reverse("admin:notifications_notification_changelist")

    client.force_login(desk)
    desk_status = client.get(url).status_code
    client.force_login(manager)
    page = client.get(url)

    assert desk_status == 403
    assert page.status_code == 200
    assert request.reference in page.text


def queued_tasks(queue: redis.Redis) -> list[tuple[str, list[int]]]:
    """(task, notification ids) of the delivery tasks waiting in the Celery queue (emptied)."""
    tasks = []
    while (raw := queue.rpop("celery")) is not None:
        message = json.loads(raw)
        args = json.loads(base64.b64decode(message["body"]))[0]
        task = message["headers"]["task"]
        assert task in ("intake.notification_deliver", "intake.notifications_deliver")
        tasks.append((task, args[0] if isinstance(args[0], list) else [args[0]]))
    return tasks


def queued_ids(queue: redis.Redis) -> set[int]:
    """The notification ids of the delivery tasks waiting in the Celery queue (emptied)."""
    return {pk for _, ids in queued_tasks(queue) for pk in ids}


@pytest.mark.django_db
def test_forgetting_removes_a_secret_from_the_recorded_context() -> None:
    [notification] = notifications_record(
        topic="K7P3-QX9M",
        kind="patient_copy_code",
        subject="Your code",
        template="interop/email/patient_copy_code",
        context={"code": "123456", "first_name": "Alex"},
        recipients=[Recipient("alex@example.com")],
    )
    assert notifications_forget(notification_ids=[notification.pk], keys=["code"]) == 1
    notification.refresh_from_db()
    assert notification.context == {"first_name": "Alex"}
    assert notifications_forget(notification_ids=[notification.pk], keys=["code"]) == 0
