"""The human side of a handoff: tickets, the promise of contact (office hours),
the conflict-of-interest check, the case file a lawyer reads, and staff
notifications. Used by the actions (raising tickets) and by the lawyer console
(working them)."""
