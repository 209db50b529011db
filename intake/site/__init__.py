"""The patient website: the intake step by step (`wizard`, `steps`, `forms`, `about`, form
fields derived from the declaration in `fields`), the confirmation and the signed status
pages (`views`), and their addresses (`urls`). The signed status links themselves are
`intake.status_links`: the e-mails carry them too."""
