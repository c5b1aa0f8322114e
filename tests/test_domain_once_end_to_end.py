"""The domain-once protocol between the real Rasa and the real action server (issue 18,
docs/action-calls.md): the action server restarts mid-conversation, its first call after the
restart is answered 449 domain_unknown, Rasa sends it again with the domain, and the caller's
conversation goes on as it would have without the restart. Needs the model."""
from __future__ import annotations

import pytest

from assistant_server import new_sender

pytestmark = pytest.mark.model

MESSAGES = ("公司辞退我一分钱补偿都不给", "还有加班费也没给过")


def test_a_caller_does_not_notice_that_the_action_server_restarted(assistant):
    undisturbed = new_sender()
    expected = [assistant.turn(undisturbed, message).names for message in MESSAGES]
    sender = new_sender()
    first = assistant.turn(sender, MESSAGES[0])
    log_length = len(assistant.actions_log_path.read_text(encoding="utf-8"))
    assistant.restart_action_server()
    second = assistant.turn(sender, MESSAGES[1])
    after_restart = assistant.actions_log_path.read_text(encoding="utf-8")[log_length:]
    # The restarted server did not know the domain, and was sent it (else this test proves nothing).
    assert after_restart.count("unknown: Rasa is asked to send it") == 1, after_restart[-3000:]
    assert [first.names, second.names] == expected
