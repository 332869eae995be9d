"""Django admin of the LAPOR! sync. It has no models yet; its jobs (the outbox) will be
registered here, read-only like the event log (see complaints/admin.py)."""
