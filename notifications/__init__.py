"""Notifications: an outbox of messages recorded with the event they announce and delivered
by Celery, none lost and none sent twice.

- `outbox`: record messages inside the caller's transaction, publish them once it commits;
- `delivery`: claim, render, send and record the outcome of one message;
- `sweeper`: publish again what no task will deliver; the admin's retry;
- `transports`: the one place that knows SMTP;
- `tasks`: the thin Celery entry points; `kinds`: the announcing apps' kinds of message.

This app imports nothing else of ours. Who is told what is the announcing app's business
(for intake, `intake.announcements`): it records the subject, the template and the small,
non-clinical context each message is rendered from.
"""
