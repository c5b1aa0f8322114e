"""End to end through the REST channel: real trained model, real action server,
real SQLite databases. Needs the model (`make test` trains it first)."""
from __future__ import annotations

import pytest
import requests
from sqlalchemy import create_engine, text

from actions.privacy import notice_text
from assistant_server import Said, new_sender, slot
from intake_core.persistence.encryption import decrypt
from log_text import leaked

pytestmark = pytest.mark.model


def tickets(assistant, sender):
    engine = create_engine(assistant.database_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT reason, urgency, case_type, trigger_text FROM handoff_tickets "
                    "WHERE conversation_id = :sender ORDER BY id"
                ),
                {"sender": sender},
            )
            # trigger_text is encrypted at rest (issue 16, M8); the test shares the assistant's key.
            return [{**row._mapping, "trigger_text": row.trigger_text and decrypt(row.trigger_text)} for row in rows]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "message, case_type, practice_area, triage",
    [
        ("老板跑路了，欠了我们三个月工钱咋办", "labor", None, "utter_triage_labor"),
        ("俺媳妇回娘家半年了说要离婚，孩子才三岁归谁", "divorce", None, "utter_triage_divorce"),
        ("房东不退押金三千块，说墙上有个钉子眼", "contract", None, "utter_triage_contract"),
        # A finer practice area keeps the stable case type and names itself (issue 17).
        ("我爸出车祸了对方全责，保险公司只赔一点点", "other", "traffic", "utter_triage_traffic"),
        ("在厂里干活被机器轧断了手指，老板说不算工伤", "labor", "work_injury", "utter_triage_work_injury"),
    ],
)
def test_first_message_is_triaged(assistant, message, case_type, practice_area, triage):
    sender = new_sender()
    turn = assistant.turn(sender, message)
    assert triage in turn.names
    # The privacy notice (initial consultation, not representation) is an action's text, unnamed.
    assert Said(None, notice_text()) in turn.said
    assert slot(assistant, sender, "case_type") == case_type
    assert slot(assistant, sender, "practice_area") == practice_area


def test_the_disclaimer_is_given_once_per_conversation(assistant):
    sender = new_sender()
    first = assistant.turn(sender, "公司辞退我一分钱补偿都不给")
    second = assistant.turn(sender, "还有加班费也没给过")
    assert Said(None, notice_text()) in first.said
    assert second.said and notice_text() not in [message.text for message in second.said]


def test_a_greeting_gets_a_question_that_helps_the_caller_start(assistant):
    turn = assistant.turn(new_sender(), "你好")
    assert turn.names == ["utter_greet"]


def test_boundary_request_on_the_first_message_hands_off_with_a_ticket(assistant):
    sender = new_sender()
    message = "公司欠我工资两万四，你们能帮我打这个官司吗"
    turn = assistant.turn(sender, message)
    [ticket] = tickets(assistant, sender)
    assert ticket["reason"] == "representation"
    assert ticket["trigger_text"] == message
    assert ticket["case_type"] == "labor"
    assert slot(assistant, sender, "case_type") == "labor"
    assert "utter_handoff_reason_representation" in turn.names
    ticket_no = slot(assistant, sender, "handoff_ticket")
    assert ticket_no and ticket_no in turn.text_of("utter_handoff_next_steps")  # the ticket's own number


def test_boundary_request_mid_conversation_hands_off(assistant):
    sender = new_sender()
    assistant.send(sender, "我想离婚，他出轨了，孩子五岁")
    turn = assistant.turn(sender, "那你帮我起草一份离婚协议吧")
    [ticket] = tickets(assistant, sender)
    assert (ticket["reason"], ticket["case_type"]) == ("documents", "divorce")
    assert {"utter_handoff_reason_documents", "utter_handoff_next_steps"} <= set(turn.names)


def test_an_information_question_that_mentions_lawyers_is_answered_not_handed_off(assistant):
    sender = new_sender()
    assistant.send(sender, "律师费一般怎么算")
    assistant.send(sender, "起诉需要什么材料")
    assert tickets(assistant, sender) == []


def test_crisis_on_the_first_message(assistant):
    sender = new_sender()
    turn = assistant.turn(sender, "讨了半年工钱讨不到，我真的不想活了")
    # The numbers in these responses are checked in test_domain_consistency.py and test_wording.py.
    assert "utter_crisis_emergency" in turn.names
    [ticket] = tickets(assistant, sender)
    assert (ticket["reason"], ticket["urgency"]) == ("crisis", "urgent")


def test_crisis_mid_conversation_about_domestic_violence(assistant):
    sender = new_sender()
    assistant.send(sender, "我想起诉离婚")
    turn = assistant.turn(sender, "他现在又在打我，我躲在厕所里")
    assert {"utter_crisis_emergency", "utter_crisis_domestic_violence"} <= set(turn.names)
    assert tickets(assistant, sender)[-1]["urgency"] == "urgent"


@pytest.fixture(scope="module")
def assistant_without_actions(tmp_path_factory):
    """The assistant with its action server down (not started)."""
    from assistant_server import start_assistant

    server = start_assistant(tmp_path_factory.mktemp("no-actions"), action_server=False)
    yield server
    server.stop()


def test_a_crisis_gets_the_emergency_numbers_with_the_action_server_down(assistant_without_actions):
    turn = assistant_without_actions.turn(new_sender(), "他现在又在打我")
    assert "utter_crisis_emergency" in turn.names


def test_a_complaint_is_escalated_like_a_handoff(assistant):
    sender = new_sender()
    assistant.send(sender, "我要投诉你们的律师，收了钱三个月不回我电话")
    assert tickets(assistant, sender)[0]["reason"] == "complaint"


def test_traditional_characters_are_understood(assistant):
    sender = new_sender()
    assistant.send(sender, "我想離婚，孩子的撫養權怎麼判")
    assert slot(assistant, sender, "case_type") == "divorce"


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "😭😭😭🙏",
        "你好" * 2500,
        "我的boss不pay我salary已经three个月了怎么办",
        "？？？",
        "<script>alert(1)</script>",
    ],
    ids=["empty", "whitespace", "emoji", "5000-chars", "mixed-language", "punctuation", "markup"],
)
def test_bad_input_always_gets_a_reply(assistant, message):
    replies = assistant.send(new_sender(), message)
    assert replies and all(reply.get("text") for reply in replies)


def test_malformed_json_is_refused_and_the_server_keeps_serving(assistant):
    response = requests.post(
        f"{assistant.url}/webhooks/rest/webhook",
        data=b'{"sender": "x", "message": ',
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert 400 <= response.status_code < 500
    assert assistant.send(new_sender(), "你好")


def test_the_http_api_needs_the_token(assistant):
    sender = new_sender()
    assistant.send(sender, "你好")
    response = requests.get(f"{assistant.url}/conversations/{sender}/tracker", timeout=10)
    assert response.status_code == 401


def test_callers_words_do_not_reach_the_logs(assistant):
    sender = new_sender()
    secret = "我叫王秀英身份证号码一二三四"
    assistant.send(sender, f"{secret}，公司欠我工资，你们能帮我打官司吗")
    assert tickets(assistant, sender)  # the words are in the database
    # Decoded: JSON and Python write Chinese as \uXXXX, once or twice escaped (issue 15, H7).
    assert leaked([secret, "公司欠我工资"], assistant.log()) == []


def test_no_secret_is_on_a_command_line(assistant):
    """What `ps` shows of the assistant's processes holds neither secret (issue 15, H3/H4)."""
    from pathlib import Path

    for process in assistant.processes:
        command = Path(f"/proc/{process.pid}/cmdline").read_bytes().decode(errors="replace")
        assert assistant.token not in command and "--auth-token" not in command


def test_rasa_keeps_the_loaded_model_out_of_garbage_collection(assistant):
    """scripts/serve_rasa.py installs intake_dialogue/model_memory.py (issue 18: a full
    collection over the model stopped every turn under way for 230 ms)."""
    assert "Model loaded:" in assistant.rasa_log_path.read_text(encoding="utf-8")
