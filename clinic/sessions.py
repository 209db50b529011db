"""Sessions in the database, as Django keeps them, with one statement per write.

Django's database store wraps every save in a transaction (BEGIN, UPDATE, COMMIT: three
round trips) and looks a new key up before inserting it. An update is one statement that
commits on its own, and a new key's INSERT is guarded by the key's unique constraint (on a
clash `create` tries another key), so neither is needed. Creating a session keeps Django's
transaction: an INSERT that fails must not break a transaction around it.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, UpdateError
from django.db import DatabaseError, router
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            return super().save(must_create)
        session = self.create_model_instance(self._get_session())  # type: ignore[attr-defined]
        try:
            session.save(force_update=True, using=router.db_for_write(self.model))
        except DatabaseError as error:  # as Django's: the row is gone, or the database failed
            raise UpdateError from error

    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)
