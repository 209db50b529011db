"""The clinic's staff: roles, signing in (lockout, idle timeout, two-factor), staff accounts,
and the one admin site every staff page lives in (``staff.sites.ClinicAdminSite``)."""
