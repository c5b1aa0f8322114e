"""What happens when an answer cannot reach a WeChat / WeCom user.

The customer-service API refuses messages for reasons the caller cannot see:
45015 (the caller's last message is older than 48 hours), 48001 (the account
is not authorised for the API, e.g. not verified), 45047 (too many messages
since the caller last wrote), ... The channel never raises these; it calls
``report_delivery_failure``. For now this only logs (code only: never the
caller's id or the text); the lawyer's ticket will be told here later.
"""
from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

WINDOW_CLOSED = 45015
UNAUTHORISED_API = 48001
NETWORK_ERROR = -1  # no answer from the API at all


def report_delivery_failure(sender_id: str, channel: str, code: int, detail: str) -> None:
    """An answer for ``sender_id`` on ``channel`` was not delivered (``code`` from the API)."""
    logger.warning("A %s message could not be delivered: error code %s.", channel, code)
