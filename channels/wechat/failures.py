"""What happens when an answer cannot reach a WeChat / WeCom user.

The customer-service API refuses messages for reasons the caller cannot see:
45015 (the caller's last message is older than 48 hours), 48001 (the account
is not authorised for the API, e.g. not verified), 45047 (too many messages
since the caller last wrote), ... The channel never raises these; it calls
``report_delivery_failure``, which logs the code (never the caller's id or the
text) and notes the failure on the conversation's open handoff ticket, where
the lawyer sees it in the console (a reply that did not arrive must not look
as if it did).
"""
from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

WINDOW_CLOSED = 45015
UNAUTHORISED_API = 48001
NETWORK_ERROR = -1  # no answer from the API at all


def report_delivery_failure(sender_id: str, channel: str, code: int, detail: str) -> None:
    """An answer for conversation ``sender_id`` (``wechat:<openid>``, ``wecom:<corp>:<userid>``:
    the id its ticket has) on ``channel`` was not delivered (``code`` from the API)."""
    logger.warning("A %s message could not be delivered: error code %s.", channel, code)
    from intake_core.desk.tickets import add_to_open_ticket

    try:
        add_to_open_ticket(sender_id, "system", f"{channel}: {code} {detail}".strip(), kind="delivery_failure")
    except Exception as error:  # the channel must keep serving
        logger.error("Could not note the delivery failure on the ticket: %s.", type(error).__name__)
