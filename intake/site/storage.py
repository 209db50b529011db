"""Where the intake wizard keeps the answers between pages: the session, written only when
something in it changed (never by a page read).

formtools' own SessionStorage marks the session modified whenever its data is read, so every
GET of a page rewrote the session row. Here the wizard's writes mark it (each goes through one
of the setters below, never by changing the stored dicts in place), and reads do not.
"""

from __future__ import annotations

from typing import Any

from formtools.wizard.storage.session import SessionStorage

STORAGE_PATH = "intake.site.storage.ChangedOnlySessionStorage"


class ChangedOnlySessionStorage(SessionStorage):
    def init_data(self) -> None:
        # Blank data is not worth saving: a page read of an intake not started writes no
        # session (nor sets its cookie). The first change marks it, and it is saved whole.
        modified = self.request.session.modified
        super().init_data()
        self.request.session.modified = modified

    def _get_data(self) -> Any:
        return self.request.session[self.prefix]

    data = property(_get_data, SessionStorage._set_data)

    def _changed(self) -> None:
        self.request.session.modified = True

    def _set_current_step(self, step: str | None) -> None:
        if self.data[self.step_key] != step:
            super()._set_current_step(step)
            self._changed()

    def _set_extra_data(self, extra_data: dict[str, Any]) -> None:
        super()._set_extra_data(extra_data)
        self._changed()

    def set_step_data(self, step: str, cleaned_data: Any) -> None:
        super().set_step_data(step, cleaned_data)
        self._changed()

    def set_step_files(self, step: str, files: Any) -> None:
        super().set_step_files(step, files)
        self._changed()

    def reset(self) -> None:
        super().reset()
        self._changed()
