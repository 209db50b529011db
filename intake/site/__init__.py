"""The patient website: the intake step by step (`wizard`, `steps`, `forms`, `about`, form
fields derived from the declaration in `fields`), the confirmation and the signed status
pages (`views`, `status_links`), and their addresses (`urls`)."""
