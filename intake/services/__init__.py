"""Services that write, one module per concept: `submission`, `requests` (every move of an
appointment request), `reviews` and `referrals`. Selectors (`intake.selectors`) read."""
