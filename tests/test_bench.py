"""The pure parts of `make bench` (bench/): percentiles, reply/tracker reconciliation, the
row summary, the caller loop against a fake channel, and the report. No model, no server."""
from __future__ import annotations

import threading

import pytest

from bench import parse_floor, report
from bench.channels import TurnError
from bench.load import Intake, Row, Turn, run_row
from bench.machine import cpu_model
from bench.reconcile import (
    bot_events_per_turn,
    event_parts,
    from_socketio,
    message_parts,
    reconcile_intake,
    reconcile_turn,
)
from bench.stats import latency_summary, percentile, ratio
from bench.summary import errors, reconcile, summarise

# --- percentiles -------------------------------------------------------------------------------


def test_percentile_interpolates_between_closest_ranks():
    assert percentile([4, 1, 3, 2], 50) == 2.5  # unsorted input; the mean of the middle two
    assert percentile(range(1, 101), 95) == pytest.approx(95.05)
    assert percentile([7, 1, 5], 0) == 1 and percentile([7, 1, 5], 100) == 7


def test_percentile_of_one_value_and_of_none():
    assert percentile([0.2], 99) == 0.2
    assert percentile([], 50) is None


def test_percentile_outside_0_to_100_is_refused():
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_latency_summary_in_milliseconds():
    summary = latency_summary([0.1, 0.2, 0.3])
    assert summary["count"] == 3
    assert summary["p50_ms"] == pytest.approx(200)
    assert summary["p99_ms"] == pytest.approx(298)
    assert latency_summary([])["p95_ms"] is None


def test_ratio_without_a_denominator_is_none():
    assert ratio(30.0, 15.0) == 2.0
    assert ratio(30.0, None) is None and ratio(None, 15.0) is None and ratio(3.0, 0) is None


# --- reconciliation ----------------------------------------------------------------------------

def user(text="x"):
    return {"event": "user", "text": text}


def bot(text, buttons=None):
    return {"event": "bot", "text": text, "data": {"buttons": buttons, "image": None, "custom": None}}


BUTTONS = [{"title": "好的，开始", "payload": "/affirm"}, {"title": "先不用", "payload": "/deny"}]


def test_rest_replies_match_their_bot_events():
    expected = [bot("第一段\n\n第二段"), bot("开始吗？", BUTTONS)]
    # REST splits a plain text at blank lines and keeps a text with buttons whole.
    received = [{"text": "第一段"}, {"text": "第二段"}, {"text": "开始吗？", "buttons": BUTTONS}]
    assert reconcile_turn(expected, received) == (0, 0, 0)


def test_socketio_replies_match_their_bot_events():
    expected = [bot("说明\n\n开始吗？", BUTTONS)]
    # Rasa's SocketIOOutput splits the text with buttons too, the buttons on the last part.
    received = [from_socketio({"text": "说明", "quick_replies": []}),
                from_socketio({"text": "开始吗？", "quick_replies": [
                    {"content_type": "text", **button} for button in BUTTONS]})]
    assert reconcile_turn(expected, received) == (0, 0, 0)


def test_a_missing_reply_is_lost():
    assert reconcile_turn([bot("甲"), bot("乙")], [{"text": "甲"}]) == (1, 0, 0)


def test_a_reply_with_a_missing_button_is_lost():
    assert reconcile_turn([bot("开始吗？", BUTTONS)], [{"text": "开始吗？", "buttons": BUTTONS[:1]}]) == (1, 0, 0)


def test_a_reply_received_twice_is_duplicated():
    assert reconcile_turn([bot("甲"), bot("乙")], [{"text": "甲"}, {"text": "乙"}, {"text": "甲"}]) == (0, 1, 0)


def test_a_reply_said_twice_and_received_three_times_is_duplicated_once():
    assert reconcile_turn([bot("甲"), bot("甲")], [{"text": "甲"}] * 3) == (0, 1, 0)


def test_a_reply_no_bot_event_says_is_stray():
    assert reconcile_turn([bot("甲")], [{"text": "甲"}, {"text": "别人的"}]) == (0, 0, 1)


def test_bot_events_are_grouped_by_the_user_message_before_them():
    events = [{"event": "action", "name": "action_session_start"}, bot("欢迎"), user(), bot("甲"),
              {"event": "slot", "name": "s"}, bot("乙"), user(), user(), bot("丙")]
    turns = bot_events_per_turn(events)
    # The session start's greeting goes with the first message; a turn can have no reply.
    assert [[e["text"] for e in turn] for turn in turns] == [["欢迎", "甲", "乙"], [], ["丙"]]


def test_a_reply_arriving_in_the_next_turn_is_lost_there_and_stray_here():
    events = [user(), bot("甲"), bot("乙"), user(), bot("丙")]
    result = reconcile_intake([[{"text": "甲"}], [{"text": "乙"}, {"text": "丙"}]], events, where="p")
    assert (result.turns, result.replies, result.lost, result.duplicated, result.stray) == (2, 3, 1, 0, 1)
    assert result.examples == ["p turn 1: lost 1, duplicated 0, stray 0", "p turn 2: lost 0, duplicated 0, stray 1"]


def test_a_tracker_with_another_number_of_turns_is_misaligned_not_compared():
    result = reconcile_intake([[{"text": "甲"}], [{"text": "乙"}]], [user(), bot("甲")])
    assert (result.intakes, result.misaligned, result.turns, result.lost) == (1, 1, 0, 0)


def test_parts_of_images_and_attachments():
    image = from_socketio({"attachment": {"type": "image", "payload": {"src": "https://x/y.png"}}})
    assert message_parts(image) == [("image", "https://x/y.png")]
    event = {"event": "bot", "text": None, "data": {"image": "https://x/y.png"}}
    assert event_parts(event) == message_parts(image)


# --- the caller loop, against a fake channel -----------------------------------------------------

class FakeConversation:
    def __init__(self, channel):
        self.channel = channel
        with channel.lock:
            channel.opened += 1
            self.conversation_id = f"fake-{channel.opened}"

    def say(self, text):
        return self.channel.answer(text)

    def close(self):
        self.channel.closed += 1


class FakeChannel:
    name = "fake"

    def __init__(self, answer=lambda text: [{"text": "好"}], refuse_open=False):
        self.answer, self.refuse_open = answer, refuse_open
        self.opened = self.closed = 0
        self.lock = threading.Lock()

    def open(self):
        if self.refuse_open:
            raise TurnError("connect")
        return FakeConversation(self)


def three_turns(persona, say, read_tracker):
    for _ in range(3):
        say("sender", persona["name"])
    return {"name": persona["name"], "log": [], "tracker": read_tracker("sender")}


PERSONAS = [{"name": "a"}, {"name": "b"}]


def test_each_caller_plays_its_intakes_on_new_conversations_personas_in_turn():
    channel = FakeChannel()
    row = run_row(channel, PERSONAS, callers=3, converse=three_turns, intakes_per_caller=2)
    assert len(row.intakes) == 6 and channel.opened == 6 and channel.closed == 6
    assert len({intake.conversation_id for intake in row.intakes}) == 6
    assert sorted(intake.persona for intake in row.intakes) == ["a", "a", "a", "b", "b", "b"]
    assert all(intake.outcome == "complete" and len(intake.turns) == 3 for intake in row.intakes)
    # converse played against an empty tracker: the real one is read after the row.
    assert all(intake.result["tracker"] == {} for intake in row.intakes)
    assert len(row.sent) == 18


def test_a_failed_turn_ends_its_intake_and_is_recorded_with_its_kind():
    def answer(text):
        raise TurnError("status 500")

    row = run_row(FakeChannel(answer), PERSONAS, callers=1, converse=three_turns, intakes_per_caller=2)
    assert [intake.outcome for intake in row.intakes] == ["error", "error"]
    assert [[turn.error for turn in intake.turns] for intake in row.intakes] == [["status 500"], ["status 500"]]
    assert errors(row.intakes) == {"status 500": 2}


def test_an_empty_reply_list_is_an_error():
    row = run_row(FakeChannel(lambda text: []), PERSONAS, callers=1, converse=three_turns, intakes_per_caller=1)
    assert row.intakes[0].outcome == "error" and row.intakes[0].turns[0].error == "empty"


def test_a_connection_refused_is_an_error_without_turns():
    row = run_row(FakeChannel(refuse_open=True), PERSONAS, callers=2, converse=three_turns, intakes_per_caller=1)
    assert errors(row.intakes) == {"connect": 2}
    assert all(not intake.turns for intake in row.intakes)


class FakeClock:
    """bench.load's `time`: a clock that moves only when a turn is answered."""

    def __init__(self):
        self.now = 100.0

    def monotonic(self):
        return self.now

    perf_counter = monotonic


def test_no_message_is_sent_after_the_deadline(monkeypatch):
    import bench.load

    clock = FakeClock()
    monkeypatch.setattr(bench.load, "time", clock)

    def answer(text):  # each turn takes one second
        clock.now += 1
        return [{"text": "好"}]

    row = run_row(FakeChannel(answer), PERSONAS, callers=1, converse=three_turns, seconds=1.5)
    # Turns sent at 0 s and 1 s; at 2 s the deadline has passed: the intake stops, none starts.
    assert [intake.outcome for intake in row.intakes] == ["deadline"]
    assert [turn.latency_s for turn in row.intakes[0].turns] == [1, 1]
    assert row.ended_at - row.started_at == 2


def test_run_row_needs_exactly_one_length():
    with pytest.raises(ValueError):
        run_row(FakeChannel(), PERSONAS, callers=1, converse=three_turns)
    with pytest.raises(ValueError):
        run_row(FakeChannel(), PERSONAS, callers=1, converse=three_turns, seconds=1, intakes_per_caller=1)


# --- the row summary -----------------------------------------------------------------------------

def never_passes(*args):
    return {"pass": False}


def test_summary_counts_turns_per_second_and_reconciles_intakes_without_errors():
    good = Intake("a", "c1", [Turn(0.1, 10.5, [{"text": "甲"}]), Turn(0.3, 12.0, [{"text": "乙"}])], "complete",
                  result={"log": [("caller", "x"), ("bot", "甲", [])]})
    failed = Intake("b", "c2", [Turn(0.2, 11.0, [{"text": "丙"}]), Turn(30.0, 14.0, [], "timeout")], "error")
    row = Row("rest", 2, started_at=10.0, intakes=[good, failed])
    trackers = {"c1": {"events": [user(), bot("甲"), user(), bot("乙"), bot("丢了")], "slots": {}},
                "c2": {"events": [user(), bot("别的")], "slots": {}}}
    summary = summarise(row, trackers, {"a": {"name": "a"}, "b": {"name": "b"}}, never_passes)
    assert summary["latency"]["count"] == 3  # the failed turn is an error, not a latency
    assert summary["turns_per_s"] == pytest.approx(3 / 4.0)  # from the start to the last turn's end
    assert summary["errors"] == {"timeout": 1}
    check = summary["reconciliation"]
    assert (check["intakes"], check["turns"], check["lost"]) == (1, 2, 1)  # c2 had an error: not compared
    assert summary["intakes"]["complete"] == 1 and summary["intakes"]["passed"] == 0


def test_intakes_whose_tracker_could_not_be_read_are_not_compared():
    intake = Intake("a", "c1", [Turn(0.1, 1.0, [{"text": "甲"}])], "complete")
    assert reconcile([intake], {"c1": None}).intakes == 0


# --- report ------------------------------------------------------------------------------------

def result(label=""):
    run = {"callers": 20, "channel": "rest", "turns_per_s": 8.25,
           "latency": {"count": 400, "p50_ms": 2400.0, "p95_ms": 3400.0, "p99_ms": 3800.0},
           "errors": {"timeout": 2, "status 500": 1},
           "reconciliation": {"intakes": 30, "turns": 380, "lost": 0, "duplicated": 1, "stray": 0, "misaligned": 2},
           "intakes": {"complete": 25, "passed": 24},
           "processes": {"rasa": {"cpu_s": 55.5, "peak_rss_bytes": 1200 * 2**20},
                         "actions": {"cpu_s": 4.0, "peak_rss_bytes": 600 * 2**20}}}
    return {"label": label, "machine": {"nproc": "2", "cpu": "AMD EPYC", "date": "2026-12-05 12:00 UTC",
                                        "commit": "abc1234"},
            "assistant": "started here", "duration": "60 s of callers", "socketio_transport": "long-polling",
            "parse_floor": {"count": 300, "p50_ms": 16.0, "p95_ms": 20.0, "errors": 0}, "runs": [run]}


def test_the_table_has_a_row_per_run_with_its_figures():
    text = report.render(result("trial run on a loaded machine, not a measurement"))
    assert text.startswith("**trial run on a loaded machine, not a measurement**")
    row = next(line for line in text.splitlines() if line.startswith("| 20 | rest |"))
    assert row == ("| 20 | rest | 400 | 8.2 | 2,400 | 3,400 | 3,800 | 16.0 | 150.0x | 3 (status 500 1, timeout 2) "
                   "| 0 | 1 | 0 | 380 in 30 intakes, 2 intakes misaligned | 25 (24) |")
    assert "| 20 | rest | 55.5 | 1,200 | 4.0 | 600 |" in text
    assert "2 CPUs (nproc), AMD EPYC" in text and "abc1234" in text


def test_replacing_a_block_keeps_the_rest_of_the_document():
    begin, end = report.markers("one-replica")
    two_begin, two_end = report.markers("two-replicas")
    document = f"# B\n\nprose\n\n{begin}\nold\n{end}\n\n## Two\n\n{two_begin}\nkept\n{two_end}\n"
    updated = report.replace_section(document, "one-replica", "new")
    assert updated == document.replace("\nold\n", "\nnew\n")


def test_a_deployment_without_a_block_gets_one_at_the_end():
    updated = report.replace_section("# B\n", "two-replicas", "figures", title="Two replicas")
    assert updated == (
        "# B\n\n## Two replicas\n\n<!-- bench:two-replicas:begin -->\nfigures\n<!-- bench:two-replicas:end -->\n"
    )


def test_a_deployment_name_that_would_break_the_markers_is_refused():
    with pytest.raises(ValueError):
        report.markers("two replicas -->")


# --- small helpers -----------------------------------------------------------------------------


def test_cpu_model_from_cpuinfo():
    assert cpu_model("processor\t: 0\nmodel name\t: AMD EPYC 7B13\n\nmodel name\t: other\n") == "AMD EPYC 7B13"
    assert cpu_model("processor\t: 0\n") == "unknown"


def test_parse_messages_are_sampled_evenly_in_order():
    messages = [str(i) for i in range(10)]
    assert parse_floor.sample_evenly(messages, 5) == ["0", "2", "4", "6", "8"]
    assert parse_floor.sample_evenly(messages[:3], 5) == ["0", "1", "2"]
    assert parse_floor.sample_evenly(messages, 0) == []


# --- process watching ----------------------------------------------------------------------------


def test_a_process_counts_with_its_children_unless_watched_alone():
    import os
    import subprocess
    import sys
    import time

    import psutil

    from bench.resources import ProcessWatch

    held = 64 * 2**20
    child = subprocess.Popen([sys.executable, "-c", f"import time; block = b'x' * {held}; time.sleep(60)"])
    try:
        deadline = time.monotonic() + 30
        while psutil.Process(child.pid).memory_info().rss < held and time.monotonic() < deadline:
            time.sleep(0.05)  # until the child holds its block
        with ProcessWatch({"tree": os.getpid(), "alone": os.getpid()}, interval=0.01, alone=["alone"]) as watch:
            pass
        figures = watch.figures()
    finally:
        child.kill()
        child.wait()
    assert figures["tree"]["peak_rss_bytes"] - figures["alone"]["peak_rss_bytes"] >= held


# --- make profile: py-spy's stacks by part (bench/profile.py) --------------------------------


def test_a_sample_counts_for_the_most_specific_part_its_stack_names():
    from bench.profile import OTHER, breakdown

    root = "handle_request (sanic/app.py:10);handle_message (rasa/core/processor.py:20)"
    lines = [
        f"{root};run (rasa/core/actions/action.py:700);validate (jsonschema/validators.py:1) 7",
        f"{root};predict_action_probabilities (rasa/core/policies/ted_policy.py:5) 3",
        f"{root};retrieve (rasa/core/tracker_store.py:9);decrypt (cryptography/fernet.py:1) 2",
        "acquire (threading.py:1) 1",
        "not a stack line",
    ]
    found = breakdown(lines)
    assert found.samples == 13
    assert found.by_part == {
        "action server call (tracker to JSON, HTTP)": 7,
        "policy: TED": 3,
        "tracker store: read (load, decrypt, replay events)": 2,
        OTHER: 1,
    }
    assert [part for part, _, _ in found.rows()][0] == "action server call (tracker to JSON, HTTP)"


def test_a_server_waiting_in_its_event_loop_or_an_idle_worker_thread_is_not_running_code():
    """py-spy takes uvloop's epoll wait (the stack ends at Sanic's serve) and a worker thread
    waiting for work for running code; they must not count as "HTTP server" CPU."""
    from bench.profile import breakdown

    serve = "run (sanic/app.py:1204);serve_single (sanic/server/runners.py:206);serve (sanic/server/runners.py:155)"
    lines = [
        f"{serve} 20",
        "_bootstrap_inner (threading.py:1016);run (threading.py:953);_worker (concurrent/futures/thread.py:81) 50",
        f"{serve};handle_request (sanic/app.py:10);load_json (sanic/request.py:319) 4",
    ]
    found = breakdown(lines)
    assert (found.samples, found.idle) == (4, 70)
    assert found.by_part == {"HTTP server (Sanic, aiohttp)": 4}


def _bench_script():
    """scripts/bench.py as a module (it is a script, not a package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "bench.py"
    spec = importlib.util.spec_from_file_location("bench_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_replicas_write_their_own_block_of_the_benchmark(monkeypatch):
    script = _bench_script()
    monkeypatch.delenv("BENCH_REPLICAS", raising=False)
    assert script.arguments([]).deployment == "one-replica"
    assert script.arguments(["--replicas", "2", "--channels", "rest"]).deployment == "two-replicas"
    monkeypatch.setenv("BENCH_REPLICAS", "2")  # `make bench BENCH_REPLICAS=2 BENCH_CHANNELS=rest`
    monkeypatch.setenv("BENCH_CHANNELS", "rest")
    assert script.arguments([]).replicas == 2
    assert script.arguments([]).deployment == "two-replicas"
    assert script.arguments(["--url", "http://x", "--replicas", "1"]).deployment == "external"


@pytest.mark.parametrize(
    "argv",
    [["--replicas", "0"], ["--replicas", "2", "--url", "http://x"], ["--replicas", "2", "--channels", "rest socketio"]],
)
def test_replicas_are_one_or_more_and_started_here(monkeypatch, argv):
    monkeypatch.delenv("BENCH_REPLICAS", raising=False)
    with pytest.raises(SystemExit):
        _bench_script().arguments(argv)
