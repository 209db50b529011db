"""The audit trail: who viewed or changed which record, when, and from which address.

Permission for the Clinic manager role: ``auditlog.view_logentry`` (browse and filter the
trail in the admin). Nobody gets add, change or delete: the admin refuses them for everyone,
superusers included, and on PostgreSQL a trigger rejects UPDATE and DELETE on the table.

The trail is django-auditlog's ``LogEntry`` table (``auditlog_logentry``): changes come from
its model signals, views from its ``accessed`` signal (see ``audit.access``), and the actor
and client address from ``audit.middleware.AuditMiddleware``. Which models are kept, and which
of their fields are masked (clinical content, secrets), each app declares on its
``AppConfig`` (``audit.registry``): an entry says which field changed, never what it says.
This app imports nothing else of ours.
"""
