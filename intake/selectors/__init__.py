"""Queries the staff pages read, one module per page: `queue` (therapists' review queue),
`board` (the front desk's requests), `search`, `dashboard`. Each list query joins what its
page shows (`select_related`), so a page costs the same number of queries whatever its
length."""
