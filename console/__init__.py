"""The lawyer console: staff log in, work the handoff queue, answer callers live
through Rasa's HTTP API, hand conversations back or close them. Its scheduler
delivers staff notifications and keeps the contact promise made to callers.

Run with `python -m console serve` (started by `make run`); accounts with
`python -m console create-user NAME`."""
