"""Queries the staff pages read, one module per page: `queue` (therapists' review queue),
`board` (the front desk's requests), `search`, `dashboard`. Each list query joins what its
page shows (`select_related`), so a page costs the same number of queries whatever its
length. `replay` re-screens the stored intakes with a candidate ruleset for
`manage.py prescreen_replay`."""
