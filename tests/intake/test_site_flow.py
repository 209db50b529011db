"""The intake on the patient website, page by page (Django test client)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from intake.models import AppointmentRequest, Therapist
from intake.questionnaire import KNEE_V1
from tests.factories import LocationFactory, TherapistFactory, valid_answers
from tests.intake.site_client import (
    about_values,
    check_values,
    complete_intake,
    fill_to_check,
    form_values,
    post_step,
    started,
    step_url,
    token,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]

INJURY = {
    "onset": "injury",
    "duration": "1_to_6_weeks",
    "injury_mechanism": ["twist_pivot"],
    "felt_pop": False,
    "swelling_after_injury": "later",
    "rapid_bruising": False,
}


@pytest.fixture
def location():
    return LocationFactory(name="Riverside")


def test_start_opens_the_safety_check(client):
    response = client.get(reverse("intake:start"))
    assert response.status_code == 302
    assert response.url == step_url("safety")


@pytest.mark.parametrize(
    ("step", "number", "title"),
    [
        ("safety", 1, "Safety check"),
        ("knee", 2, "Your knee"),
        ("activity", 3, "Activity and history"),
        ("about", 4, "About you"),
        ("check", 5, "Check and send"),
    ],
)
def test_each_step_names_itself_in_the_title_and_progress(client, location, step, number, title):
    page = started(client).get(step_url(step)).content.decode()
    assert f"<title>Step {number} of 5: {title} \N{EN DASH} " in page
    assert f"Step {number} of 5</p>" in page
    assert f'<span class="visually-hidden">{number}. {title} (current step).</span>' in page
    # The steps before are marked done, for sight (a tick) and for screen readers.
    assert page.count(" (done).</span>") == number - 1
    assert page.count('aria-hidden="true">✓</span>') == number - 1


@pytest.mark.parametrize("step", [step.code for step in KNEE_V1.steps])
def test_every_question_of_a_step_is_asked_on_its_page(client, step):
    page = started(client).get(step_url(step)).content.decode()
    for item in KNEE_V1.items_in(next(s for s in KNEE_V1.steps if s.code == step)):
        assert f'name="{step}-{item.link_id}"' in page
        assert item.text.en in page


def test_yes_no_questions_are_radios_with_no_default(client):
    page = started(client).get(step_url("safety")).content.decode()
    assert 'type="radio"' in page
    # The one checkbox is the "None of these" shortcut, not ticked either.
    assert page.count('type="checkbox"') == 1
    assert 'name="safety-none_of_these"' in page
    assert re.search(r"<input[^>]*\bchecked\b", page) is None


def test_pain_location_checkboxes_sit_in_the_fieldset_the_diagram_uses(client):
    page = started(client).get(step_url("knee")).content.decode()
    fieldset = page[page.index('<fieldset id="pain-location"') :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    assert "data-knee-diagram" in fieldset
    for option in KNEE_V1.by_link_id["pain_location"].options:
        assert f'name="knee-pain_location" value="{option.code}"' in fieldset


def test_a_complete_intake_saves_one_request_and_shows_its_reference(client, location):
    response = complete_intake(client, location.pk)
    assert response.status_code == 302
    assert response.url == reverse("intake:confirmation")
    request = AppointmentRequest.objects.get()
    page = client.get(response.url).content.decode()
    assert f'id="reference" class="reference">{request.reference}<' in page
    assert "not a diagnosis" in page
    assert request.intake.answers == valid_answers()
    assert request.location == location
    assert request.patient.email == "alex.runner@example.com"
    assert request.consent_version
    assert request.consented_at


def test_the_confirmation_gives_the_status_link(client, location):
    response = complete_intake(client, location.pk)
    page = client.get(response.url).content.decode()
    request = AppointmentRequest.objects.get()
    from intake.status_links import request_for_status_token

    # The link names this request (its token carries the second it was made, so it is read
    # back, not built again).
    prefix = "http://testserver" + reverse("intake:status", args=["TOKEN"]).split("TOKEN")[0]
    found = re.search(re.escape(prefix) + r"([^/\"<\s]+)/", page)
    assert found is not None
    assert request_for_status_token(found.group(1)) == request


# --- enable conditions -------------------------------------------------------------------------


def test_injury_questions_carry_the_condition_for_the_script_and_a_note_without_it(client):
    page = started(client).get(step_url("knee")).content.decode()
    assert (
        'data-enable-when="[{&quot;name&quot;: &quot;knee-onset&quot;, '
        "&quot;values&quot;: [&quot;injury&quot;]}]"
    ) in page
    assert "Only answer these questions if you answered “Suddenly" in page


def test_the_bend_question_needs_both_a_recent_and_a_sudden_start(client):
    page = started(client).get(step_url("knee")).content.decode()
    assert "&quot;knee-duration&quot;, &quot;values&quot;: [&quot;under_1_week&quot;]" in page


def test_answers_to_hidden_injury_questions_are_dropped(client, location):
    answers = valid_answers(onset="gradual", injury_mechanism=["fall"], felt_pop=True)
    complete_intake(client, location.pk, answers)
    saved = AppointmentRequest.objects.get().intake.answers
    assert "injury_mechanism" not in saved
    assert "felt_pop" not in saved


def test_injury_questions_are_saved_after_an_injury(client, location):
    complete_intake(client, location.pk, valid_answers(**INJURY))
    saved = AppointmentRequest.objects.get().intake.answers
    assert saved["injury_mechanism"] == ["twist_pivot"]
    assert saved["felt_pop"] is False


def test_injury_questions_must_be_answered_after_an_injury(client):
    answers = valid_answers(onset="injury")
    response = post_step(started(client), "knee", form_values(answers, "knee"))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {
        "injury_mechanism",
        "felt_pop",
        "swelling_after_injury",
        "rapid_bruising",
    }


def test_the_bend_question_is_dropped_unless_the_injury_is_recent(client, location):
    complete_intake(client, location.pk, valid_answers(**INJURY, can_bend_90=True))
    assert "can_bend_90" not in AppointmentRequest.objects.get().intake.answers


def test_the_bend_question_is_required_after_a_recent_injury(client):
    answers = valid_answers(**{**INJURY, "duration": "under_1_week"})
    response = post_step(started(client), "knee", form_values(answers, "knee"))
    assert set(response.context["form"].errors) == {"can_bend_90"}


def test_referrer_fields_are_shown_only_for_a_referral(client):
    page = started(client).get(step_url("about")).content.decode()
    assert "&quot;about-referral_source&quot;, &quot;values&quot;: [&quot;physician&quot;" in page
    assert "&quot;about-payment&quot;, &quot;values&quot;: [&quot;insurance&quot;]" in page


# --- errors keep answers; Back keeps answers -----------------------------------------------------


def test_a_validation_error_keeps_every_other_answer(client):
    values = form_values(valid_answers(), "knee")
    del values["side"]
    response = post_step(started(client), "knee", values)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_knee-side_0">Which knee hurts? Please answer this question.' in page
    assert 'value="gradual"  id="id_knee-onset_1" required checked' in page
    assert 'value="front"  id="id_knee-pain_location_0" checked' in page
    assert 'aria-describedby="id_knee-side_error"' in page


def test_the_error_summary_is_announced_and_named_in_the_title(client):
    response = post_step(started(client), "safety", {})
    page = response.content.decode()
    assert '<div id="error-summary"' in page
    assert 'role="alert"' in page
    assert "<title>Please check your answers: Step 1 of 5" in page


def test_back_keeps_the_answers_of_the_step_before(client, location):
    started(client)
    post_step(client, "safety", form_values(valid_answers(), "safety"))
    post_step(client, "knee", form_values(valid_answers(side="left"), "knee"))
    response = post_step(client, "activity", {}, wizard_goto_step="knee")
    assert response.url == step_url("knee")
    page = client.get(response.url).content.decode()
    assert 'value="left"  id="id_knee-side_0" required checked' in page


def test_one_patients_answers_never_show_on_another_patients_blank_page(client):
    """A blank step comes from a cache (intake_forms): an answered page is rendered apart."""
    assert "knee-side" in started(Client()).get(step_url("knee")).content.decode()  # cached
    started(client)
    post_step(client, "safety", form_values(valid_answers(), "safety"))
    post_step(client, "knee", form_values(valid_answers(side="left"), "knee"))
    post_step(client, "activity", {}, wizard_goto_step="knee")
    answered = client.get(step_url("knee")).content.decode()
    assert 'value="left"  id="id_knee-side_0" required checked' in answered

    for step in ("safety", "knee"):
        page = started(Client()).get(step_url(step)).content.decode()
        assert re.search(r"<input[^>]*\bchecked\b", page) is None, step


def test_each_patients_last_page_carries_their_own_submission_token(location):
    """The consent boxes come from a cache (intake_forms); the token is each patient's."""
    patients = [Client(), Client()]
    for patient in patients:
        fill_to_check(patient, location.pk)
    for patient in patients:
        page = patient.get(step_url("check")).content.decode()
        tokens = re.findall(r'name="check-submission_token" value="([^"]+)"', page)
        assert tokens == [token(patient)]
        assert 'name="check-consent_privacy"' in page
    for patient in patients:
        response = post_step(patient, "check", check_values(patient))
        assert response.url == reverse("intake:confirmation")
    assert AppointmentRequest.objects.count() == 2


def test_a_site_or_therapist_staff_add_shows_on_the_next_blank_details_page(client, location):
    """The blank details page is cached by the sites and therapists it offers."""
    page = started(client).get(step_url("about")).content.decode()
    assert location.name in page
    assert "Hillside" not in page

    LocationFactory(name="Hillside")
    TherapistFactory(user__first_name="Robin", user__last_name="Okafor", locations=[location])
    page = started(Client()).get(step_url("about")).content.decode()
    assert location.name in page
    assert "Hillside" in page
    assert "Robin Okafor" in page

    robin = Therapist.objects.get(user__last_name="Okafor")
    robin.user.last_name = "Okafor-Reyes"
    robin.user.save()
    page = started(Client()).get(step_url("about")).content.decode()
    assert "Robin Okafor-Reyes" in page


def test_back_keeps_what_was_typed_on_the_page_being_left(client):
    started(client)
    post_step(client, "safety", form_values(valid_answers(), "safety"))
    post_step(client, "knee", form_values(valid_answers(), "knee"))
    post_step(client, "activity", {"goal": "Run a 10K"}, wizard_goto_step="knee")
    page = client.get(step_url("activity")).content.decode()
    assert "Run a 10K</textarea>" in page


def test_changing_an_answer_from_check_and_send_keeps_the_rest(client, location):
    fill_to_check(client, location.pk)
    post_step(client, "knee", form_values(valid_answers(side="both"), "knee"))
    page = client.get(step_url("check")).content.decode()
    assert "Both knees" in page
    assert "Alex" in page


def test_change_from_check_and_send_returns_to_it_after_that_step(client, location):
    fill_to_check(client, location.pk)
    check = client.get(step_url("check")).content.decode()
    assert f'href="{step_url("knee")}?change=1"' in check
    page = client.get(step_url("knee") + "?change=1").content.decode()
    assert '<input type="hidden" name="change" value="1">' in page

    response = post_step(client, "knee", form_values(valid_answers(), "knee"), change="1")

    assert response.url == step_url("check")


def test_change_that_raises_a_red_flag_shows_its_advice_first(client, location):
    fill_to_check(client, location.pk)
    injury = valid_answers(
        onset="injury",
        duration="under_1_week",
        injury_mechanism=["twist_pivot"],
        felt_pop=True,
        swelling_after_injury="within_2_hours",
        rapid_bruising=False,
        can_bend_90=True,
    )

    response = post_step(client, "knee", form_values(injury, "knee"), change="1")

    assert response.url == step_url("knee-advice") + "?change=1"
    assert post_step(client, "knee-advice", {}, change="1").url == step_url("check")


def test_change_goes_on_to_a_page_the_change_left_unanswered(client, location):
    fill_to_check(client, location.pk)
    # "About you" left half done (a name rubbed out, then Back).
    post_step(client, "about", about_values(location.pk, first_name=""), wizard_goto_step="knee")
    response = post_step(client, "knee", form_values(valid_answers(), "knee"), change="1")
    assert response.url == step_url("about") + "?change=1"


def test_check_and_send_lists_every_answer_in_plain_words(client, location):
    fill_to_check(client, location.pk)
    page = client.get(step_url("check")).content.decode()
    assert "<dt>Which knee hurts?</dt><dd>Right knee</dd>" in page
    assert "<dt>How bad is the pain right now?</dt><dd>3 out of 10</dd>" in page
    assert "<dd>Riverside</dd>" in page


# --- step 4: about you ------------------------------------------------------------------------


def about_errors(client, site, **changes):
    response = post_step(started(client), "about", about_values(site.pk, **changes))
    assert response.status_code == 200
    return response.context["form"].errors


def test_a_referrer_is_required_for_a_referral(client, location):
    errors = about_errors(client, location, referral_source="physician")
    assert set(errors) == {"referrer_name", "referrer_practice"}


def test_referrer_details_are_dropped_when_self_referred(client, location):
    complete_intake(client, location.pk, referrer_name="Dr Who", referrer_practice="TARDIS")
    assert AppointmentRequest.objects.get().referrer_name == ""


def test_the_referrer_may_be_told_with_their_address(client, location):
    complete_intake(
        client,
        location.pk,
        referral_source="physician",
        referrer_name="Dr Ada Osei",
        referrer_practice="Eastside Family Practice",
        referrer_email="a.osei@eastside.example",
        referrer_may_be_told="on",
    )
    request = AppointmentRequest.objects.get()
    assert request.referrer_email == "a.osei@eastside.example"
    assert request.referrer_may_be_told is True


def test_the_check_page_says_yes_to_a_ticked_box_and_leaves_out_an_unticked_one(client, location):
    fill_to_check(
        client,
        location.pk,
        referral_source="physician",
        referrer_name="Dr Ada Osei",
        referrer_practice="Eastside Family Practice",
        referrer_email="a.osei@eastside.example",
        referrer_may_be_told="on",
    )
    page = client.get(step_url("check")).content.decode()
    assert "<dt>You may tell my doctor I contacted the clinic</dt><dd>Yes</dd>" in page
    assert "<dd>False</dd>" not in page  # the text-message box, left unticked
    assert "<dd>True</dd>" not in page


def test_telling_the_referrer_needs_their_address(client, location):
    errors = about_errors(
        client,
        location,
        referral_source="physician",
        referrer_name="Dr Ada Osei",
        referrer_practice="Eastside Family Practice",
        referrer_may_be_told="on",
    )
    assert errors["referrer_email"] == [
        "To let them know, please enter their e-mail address (or untick the box)."
    ]


def test_the_referrers_address_and_consent_are_dropped_when_self_referred(client, location):
    complete_intake(client, location.pk, referrer_email="a@b.example", referrer_may_be_told="on")
    request = AppointmentRequest.objects.get()
    assert (request.referrer_email, request.referrer_may_be_told) == ("", False)


def test_insurance_details_are_required_for_insurance(client, location):
    errors = about_errors(client, location, payment="insurance")
    assert set(errors) == {"insurance_provider", "insurance_member_number"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "1800-01-01"}, "date_of_birth"),
        ({"date_of_birth": "31/02/1990"}, "date_of_birth"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"phone": "123"}, "phone"),
        ({"phone": "1" * 21}, "phone"),
        ({"first_name": "A" * 101}, "first_name"),
        ({"notes": "x" * 1001}, "notes"),
        ({"location": "999999", "therapist_preference": "abc"}, "location"),
        ({"preferred_contact": "pigeon"}, "preferred_contact"),
        ({"preferred_times": ["midnight"]}, "preferred_times"),
    ],
)
def test_bad_contact_details_get_a_clear_error(client, location, changes, field):
    errors = about_errors(client, location, **changes)
    assert field in errors


def test_a_therapist_must_work_at_the_chosen_clinic(client, location):
    elsewhere = TherapistFactory(locations=[LocationFactory(name="Hillside")])
    errors = about_errors(client, location, therapist_preference=str(elsewhere.pk))
    assert list(errors) == ["therapist_preference"]


def test_a_chosen_therapist_is_saved(client, location):
    therapist = TherapistFactory(locations=[location])
    complete_intake(client, location.pk, therapist_preference=str(therapist.pk))
    assert AppointmentRequest.objects.get().therapist_preference == therapist


def test_only_active_clinics_are_offered(client, location):
    LocationFactory(name="Closed site", is_active=False)
    page = started(client).get(step_url("about")).content.decode()
    assert "Riverside" in page
    assert "Closed site" not in page


# --- step 5: consent ------------------------------------------------------------------------


def test_both_consents_are_required(client, location):
    fill_to_check(client, location.pk)
    response = post_step(
        client, "check", check_values(client, consent_privacy=None, consent_not_diagnosis=None)
    )
    assert set(response.context["form"].errors) == {"consent_privacy", "consent_not_diagnosis"}
    assert not AppointmentRequest.objects.exists()


def test_the_booking_note_and_the_knee_note_are_kept_apart(client, location):
    page = started(client).get(step_url("about")).content.decode()
    assert "Our front desk reads this" in page
    assert "Only your physical therapists read this, not the front desk." in page
    complete_intake(client, location.pk, notes="Not on Fridays.", knee_notes="Clicks on stairs.")
    request = AppointmentRequest.objects.select_related("intake").get()
    assert request.notes == "Not on Fridays."
    assert request.intake.knee_notes == "Clicks on stairs."


def test_the_weekly_distance_is_asked_in_miles_and_stored_in_km(client, location, settings):
    settings.DISTANCE_UNIT = "mi"
    page = started(client).get(step_url("activity")).content.decode()
    assert "About how many miles do you run in a normal week? (optional)" in page
    assert "kilometers" not in page
    fill_to_check(client, location.pk, valid_answers(weekly_distance_km=20))
    check = client.get(step_url("check")).content.decode()
    assert "<dt>About how many miles do you run in a normal week?</dt><dd>20</dd>" in check
    post_step(client, "check", check_values(client))
    assert AppointmentRequest.objects.get().intake.answers["weekly_distance_km"] == 32


def test_the_weekly_distance_in_miles_has_its_own_limit(client, settings):
    settings.DISTANCE_UNIT = "mi"
    started(client)
    values = form_values(valid_answers(weekly_distance_km=187), "activity")
    response = post_step(client, "activity", values)
    assert response.status_code == 200
    assert "weekly_distance_km" in response.context["form"].errors
