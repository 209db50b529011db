"""`clinic.sessions`: Django's database sessions read and written with one statement each,
which must behave as Django's own store does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clinic.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_session_keeps_what_is_stored_in_it_and_is_written_with_one_statement():
    session = SessionStore()
    session["answers"] = {"side": "left", "pain_now": 3}
    session.save()
    key = session.session_key

    loaded = SessionStore(key)
    assert loaded["answers"] == {"side": "left", "pain_now": 3}
    loaded["answers"] = {"side": "right"}
    with CaptureQueriesContext(connection) as queries:
        loaded.save()
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["UPDATE"]
    assert SessionStore(key)["answers"] == {"side": "right"}
    assert Session.objects.get(session_key=key).expire_date > timezone.now()


def test_an_expired_session_reads_as_a_new_empty_one():
    session = SessionStore()
    session["answers"] = {"side": "left"}
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    expired = SessionStore(session.session_key)
    assert "answers" not in expired
    assert expired.session_key is None  # a new key when it is saved, as Django's store


def test_saving_a_session_whose_row_is_gone_fails_as_djangos_store_does():
    session = SessionStore()
    session["answers"] = {"side": "left"}
    session.save()
    Session.objects.filter(session_key=session.session_key).delete()

    session["answers"] = {"side": "right"}
    with pytest.raises(UpdateError):
        session.save()
    assert not Session.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_new_session_is_one_insert_and_a_taken_key_makes_it_try_another():
    """Outside a transaction (as on the site) a new session is one INSERT; a key already
    taken fails that INSERT, and Django's `create` goes on with a new key."""
    session = SessionStore()
    session["answers"] = {"side": "left"}
    with CaptureQueriesContext(connection) as queries:
        session.save()
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["INSERT"]

    taken = session.session_key
    keys = iter([taken, "b" * 32])
    clash = SessionStore()
    clash._get_new_session_key = lambda: next(keys)  # type: ignore[method-assign]
    clash["answers"] = {"side": "right"}
    clash.save()
    assert clash.session_key == "b" * 32
    assert SessionStore(taken)["answers"] == {"side": "left"}
    assert SessionStore("b" * 32)["answers"] == {"side": "right"}
