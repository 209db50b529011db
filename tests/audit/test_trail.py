"""The audit trail: staff views and changes are recorded with who, what, when and where,
nobody can alter the record, and it never holds clinical content."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.masking import HIDDEN
from intake.models import AppointmentRequest, Intake, Patient, RequestStatus
from intake.services.referrals import referral_create
from staff import roles
from tests.audit.conftest import IP, staff_member
from tests.factories import (
    LocationFactory,
    UserFactory,
    patient_details,
    submit_intake,
    valid_answers,
)

pytestmark = pytest.mark.django_db

GOAL = "Pace the Riverside half marathon with my sister in April"


def entries_for(instance: object, action: int) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(instance).filter(action=action))


def test_therapist_opening_an_intake_is_recorded_with_who_and_where(therapist, signed_in):
    intake = submit_intake().intake

    response = signed_in(therapist).get(reverse("admin:intake_intake_change", args=[intake.pk]))

    assert response.status_code == 200
    [access] = entries_for(intake, LogEntry.Action.ACCESS)
    assert (access.actor, access.remote_addr, access.object_pk) == (therapist, IP, str(intake.pk))


def test_opening_a_patient_is_recorded(signed_in):
    superuser = UserFactory(is_superuser=True)
    patient = submit_intake().patient

    response = signed_in(superuser).get(reverse("admin:intake_patient_change", args=[patient.pk]))

    assert response.status_code == 200
    [access] = entries_for(patient, LogEntry.Action.ACCESS)
    assert access.actor == superuser


def test_front_desk_changing_a_request_is_recorded_field_by_field(front_desk, signed_in):
    request = submit_intake()

    signed_in(front_desk).post(
        reverse("admin:intake_appointmentrequest_changelist"),
        {"action": "mark_contacted", "_selected_action": [request.pk]},
    )

    [change] = entries_for(request, LogEntry.Action.UPDATE)
    assert (change.actor, change.remote_addr) == (front_desk, IP)
    assert change.changes_dict["status"] == [RequestStatus.NEW, RequestStatus.CONTACTED]


def test_the_trail_names_a_changed_clinical_field_but_never_its_content(signed_in):
    intake = submit_intake(answers=valid_answers(goal=GOAL)).intake
    therapist = UserFactory()
    intake.answers = {**intake.answers, "goal": GOAL + " and then a full one"}
    intake.assigned_to = therapist
    intake.save()

    trail = json.dumps(
        [
            [e.object_repr, e.changes, e.changes_text, e.serialized_data, e.additional_data]
            for e in LogEntry.objects.all()
        ]
    )
    assert GOAL not in trail
    assert intake.get_triage_display() not in trail
    [change] = entries_for(intake, LogEntry.Action.UPDATE)
    assert change.changes_dict["answers"] == [HIDDEN, HIDDEN]
    assert change.changes_dict["assigned_to"] == [None, therapist.pk]


def test_an_intake_is_named_in_the_trail_without_its_triage():
    intake = submit_intake().intake

    [created] = entries_for(intake, LogEntry.Action.CREATE)

    assert created.object_repr == f"Intake {intake.pk}"


def test_submitting_an_intake_records_the_new_patient_request_and_intake():
    request = submit_intake()

    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE)
    assert {entry.content_type.model_class() for entry in created} >= {
        Patient,
        Intake,
        AppointmentRequest,
    }
    assert entries_for(request, LogEntry.Action.CREATE)[0].actor is None  # the patient


def test_the_trail_never_shows_a_submission_token(manager, signed_in):
    request = submit_intake()
    entry = entries_for(request, LogEntry.Action.CREATE)[0]
    assert str(request.submission_token) not in json.dumps(entry.changes)
    page = signed_in(manager).get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert str(request.submission_token) not in page.content.decode()


def test_manager_filters_the_trail_by_staff_member_and_action(
    manager, therapist, front_desk, signed_in
):
    intake = submit_intake().intake
    signed_in(therapist).get(reverse("admin:intake_intake_change", args=[intake.pk]))
    signed_in(front_desk).get(reverse("admin:intake_appointmentrequest_changelist"))
    url = reverse("admin:auditlog_logentry_changelist")

    response = signed_in(manager).get(
        url, {"actor": therapist.pk, "action__exact": LogEntry.Action.ACCESS}
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == entries_for(intake, LogEntry.Action.ACCESS)


def test_manager_filters_the_trail_by_record_kind_and_number(manager, signed_in):
    first, second = submit_intake().intake, submit_intake().intake
    kind = ContentType.objects.get_for_model(Intake).pk

    response = signed_in(manager).get(
        reverse("admin:auditlog_logentry_changelist"), {"kind": kind, "object_pk": second.pk}
    )

    assert [entry.object_pk for entry in response.context["cl"].result_list] == [str(second.pk)]
    assert first.pk != second.pk


def test_staff_without_the_audit_permission_cannot_open_the_trail(therapist, signed_in):
    response = signed_in(therapist).get(reverse("admin:auditlog_logentry_changelist"))

    assert response.status_code == 403


@pytest.mark.parametrize("page", ["add", "change", "delete"])
def test_not_even_a_superuser_can_add_change_or_delete_an_entry(page, signed_in):
    superuser = UserFactory(is_superuser=True)
    entry = entries_for(submit_intake().intake, LogEntry.Action.CREATE)[0]
    client = signed_in(superuser)
    if page == "add":
        url = reverse("admin:auditlog_logentry_add")
    else:
        url = reverse(f"admin:auditlog_logentry_{page}", args=[entry.pk])

    response = client.post(url, {"post": "yes", "object_repr": "edited"})

    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.object_repr != "edited"


def test_a_superuser_reads_an_entry_but_gets_no_save_button(signed_in):
    superuser = UserFactory(is_superuser=True)
    entry = entries_for(submit_intake().intake, LogEntry.Action.CREATE)[0]

    response = signed_in(superuser).get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))

    assert response.status_code == 200
    assert b'name="_save"' not in response.content


def test_the_trail_offers_no_bulk_delete(signed_in):
    superuser = UserFactory(is_superuser=True)
    submit_intake()

    response = signed_in(superuser).get(reverse("admin:auditlog_logentry_changelist"))

    assert b"delete_selected" not in response.content


def test_the_database_refuses_to_edit_an_entry():
    entry = LogEntry.objects.first() or entries_for(submit_intake().intake, 0)[0]

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="edited")


def test_the_database_refuses_to_delete_an_entry():
    entry = entries_for(submit_intake().intake, LogEntry.Action.CREATE)[0]

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()


def test_deleting_a_staff_account_keeps_their_entries_and_their_address():
    user = UserFactory(email="leaving@clinic.example")
    with set_actor(user, remote_addr=IP):
        location = LocationFactory()
    [created] = entries_for(location, LogEntry.Action.CREATE)

    get_user_model().objects.filter(pk=user.pk).delete()

    created.refresh_from_db()
    assert (created.actor, created.actor_email) == (None, "leaving@clinic.example")


def test_role_changes_are_recorded():
    group, _ = Group.objects.get_or_create(name=roles.THERAPIST)
    user = UserFactory()

    user.groups.add(group)

    [change] = entries_for(user, LogEntry.Action.UPDATE)
    assert change.changes_dict["groups"]["objects"] == [roles.THERAPIST]


def test_a_password_change_is_recorded_without_the_hash():
    user = UserFactory()

    user.set_password("a long passphrase for the test")
    user.save()

    [change] = entries_for(user, LogEntry.Action.UPDATE)
    assert change.changes_dict["password"] == [HIDDEN, HIDDEN]


def test_front_desk_opening_a_request_is_recorded(front_desk, signed_in):
    request = submit_intake()

    signed_in(front_desk).get(reverse("admin:intake_appointmentrequest_change", args=[request.pk]))

    [access] = entries_for(request, LogEntry.Action.ACCESS)
    assert access.actor == front_desk


def test_printing_a_referral_letter_is_recorded(signed_in):
    therapist = staff_member(roles.THERAPIST, "intake.view_referral")
    intake = submit_intake().intake
    referral = referral_create(
        intake=intake, destination="imaging", reason="Locking", created_by=therapist
    )

    response = signed_in(therapist).get(reverse("admin:intake_referral_letter", args=[referral.pk]))

    assert response.status_code == 200
    [access] = entries_for(referral, LogEntry.Action.ACCESS)
    assert (access.actor, access.object_repr) == (therapist, f"Referral {referral.pk}")


def test_opening_the_review_form_is_recorded_as_a_view_of_the_intake(signed_in):
    therapist = staff_member(roles.THERAPIST, "intake.view_intake", "intake.add_review")
    intake = submit_intake().intake

    signed_in(therapist).get(reverse("admin:intake_intake_review", args=[intake.pk]))

    assert [e.actor for e in entries_for(intake, LogEntry.Action.ACCESS)] == [therapist]


def test_the_clinic_manager_role_can_read_the_trail_and_nothing_more(signed_in):
    manager = UserFactory()
    manager.groups.add(Group.objects.get(name=roles.CLINIC_MANAGER))
    submit_intake()
    client = signed_in(manager)

    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
    assert client.get(reverse("admin:auditlog_logentry_add")).status_code == 403


@pytest.mark.parametrize("role", [roles.FRONT_DESK, roles.THERAPIST])
def test_other_roles_cannot_open_the_trail(role, signed_in):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))

    response = signed_in(user).get(reverse("admin:auditlog_logentry_changelist"))

    assert response.status_code == 403


def test_manager_filters_the_trail_by_date(manager, signed_in):
    location = LocationFactory()
    kind = ContentType.objects.get_for_model(location)
    last_year = timezone.now() - timedelta(days=365)
    LogEntry.objects.create(
        content_type=kind,
        object_pk=str(location.pk),
        object_repr=str(location),
        action=LogEntry.Action.UPDATE,
        timestamp=last_year,
    )

    response = signed_in(manager).get(
        reverse("admin:auditlog_logentry_changelist"),
        {"timestamp__gte": str(timezone.localtime() - timedelta(days=7))},
    )

    shown = {entry.timestamp for entry in response.context["cl"].result_list}
    assert shown
    assert last_year not in shown


def test_front_desk_viewing_the_board_records_which_list_filter_and_rows(front_desk, signed_in):
    first, second = submit_intake(), submit_intake()
    submit_intake(patient=patient_details(last_name="Okafor"))
    board = reverse("admin:intake_appointmentrequest_changelist")

    response = signed_in(front_desk).get(board, {"q": first.patient.last_name[:4]})

    assert response.status_code == 200
    [listed] = LogEntry.objects.filter(object_pk="", action=LogEntry.Action.ACCESS)
    assert (listed.actor, listed.remote_addr) == (front_desk, IP)
    assert listed.content_type.model_class() is AppointmentRequest
    assert listed.object_repr == "List of appointment requests"
    assert listed.additional_data["list"] == {
        "parameters": {"q": first.patient.last_name[:4]},
        "matched": 2,
        "shown": [str(row.pk) for row in response.context["cl"].result_list],
    }
    assert {row.pk for row in response.context["cl"].result_list} == {first.pk, second.pk}


def test_a_list_of_intakes_is_named_without_clinical_detail(therapist, signed_in):
    submit_intake()

    signed_in(therapist).get(reverse("admin:intake_intake_changelist"))

    [listed] = LogEntry.objects.filter(object_pk="", action=LogEntry.Action.ACCESS)
    assert listed.object_repr == "List of intakes"


def test_manager_sees_what_a_list_page_showed_in_the_trail(front_desk, manager, signed_in):
    request = submit_intake()
    signed_in(front_desk).get(reverse("admin:intake_appointmentrequest_changelist"))
    [listed] = LogEntry.objects.filter(object_pk="", action=LogEntry.Action.ACCESS)
    trail = reverse("admin:auditlog_logentry_changelist")

    listing = signed_in(manager).get(trail).content.decode()
    detail = signed_in(manager).get(reverse("admin:auditlog_logentry_change", args=[listed.pk]))

    assert "Listed 1 of 1" in listing
    assert f"Records shown: {request.pk}" in detail.content.decode()
