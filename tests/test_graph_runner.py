"""intake_dialogue/graph_runner.py: the model's graph run in a cached order gives what Rasa's
dask runner gives (a toy graph here; the trained model in the model test)."""
from __future__ import annotations

from typing import Any

import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from intake_dialogue.graph_runner import InOrderGraphRunner

CALLS: list[str] = []


class Step(GraphComponent):
    """Appends its name to what it receives; records each call."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.name = config["name"]

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> Step:
        return cls(config)

    def apply(self, **received: Any) -> str:
        CALLS.append(self.name)
        if "explode" in received.values():
            raise ValueError("asked to")
        return "+".join([*(str(received[key]) for key in sorted(received)), self.name])


def node(name: str, **needs: str) -> SchemaNode:
    return SchemaNode(needs=needs, uses=Step, constructor_name="create", fn="apply",
                      config={"name": name}, eager=True)


# a chain (as the NLU pipeline), a node with no needs (as the domain provider) and two nodes
# side by side that one node joins (as the policies and the ensemble)
SCHEMA = GraphSchema({
    "source": node("source"),
    "first": node("first", text="__message__"),
    "second": node("second", previous="first", shared="source"),
    "left": node("left", tracker="__tracker__", shared="source"),
    "right": node("right", tracker="__tracker__", shared="source"),
    "join": node("join", a="left", b="right", tracker="__tracker__"),
})


@pytest.fixture
def runners(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(SCHEMA, "test")
    return DaskGraphRunner.create(SCHEMA, storage, context), InOrderGraphRunner.create(SCHEMA, storage, context)


@pytest.mark.parametrize(
    ("inputs", "targets"),
    [
        ({"__message__": "m"}, ["second"]),
        ({"__tracker__": "t"}, ["join"]),
        ({"__message__": "m", "__tracker__": "t"}, ["second", "join"]),
        ({"__message__": "m"}, ["first"]),
    ],
)
def test_the_same_results_and_each_node_once(runners, inputs, targets):
    dask_runner, in_order = runners
    CALLS.clear()
    expected = dask_runner.run(inputs=inputs, targets=targets)
    dask_calls = sorted(CALLS)
    CALLS.clear()
    assert in_order.run(inputs=inputs, targets=targets) == expected
    assert sorted(CALLS) == dask_calls  # the same nodes, each once, nothing the targets do not need


def test_every_node_runs_after_the_nodes_it_needs(runners):
    _, in_order = runners
    CALLS.clear()
    in_order.run(inputs={"__message__": "m", "__tracker__": "t"}, targets=["join", "second"])
    for later, earlier in [("second", "first"), ("second", "source"), ("join", "left"), ("join", "right"),
                           ("left", "source")]:
        assert CALLS.index(earlier) < CALLS.index(later)


def test_the_order_is_worked_out_once_per_set_of_targets(runners):
    _, in_order = runners
    first = in_order.plan(("join",))
    assert in_order.plan(("join",)) is first
    assert [name for name, _ in first][-1] == "join"


@pytest.mark.parametrize(
    "inputs", [{"__message__": "first"}, {}], ids=["an input named like a node", "an input missing"]
)
def test_a_run_rasa_refuses_is_refused(runners, inputs):
    for runner in runners:
        with pytest.raises(GraphRunError):
            runner.run(inputs=inputs, targets=["second"])


def test_a_failing_component_fails_the_same_way(runners):
    for runner in runners:
        with pytest.raises(GraphComponentException):
            runner.run(inputs={"__message__": "explode"}, targets=["second"])


@pytest.mark.model
def test_the_trained_model_parses_and_predicts_the_same_with_either_runner():
    """Both runners over the same loaded nodes: every parse and every prediction of a
    conversation is the same."""
    import asyncio

    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from assistant_server import MODEL

    async def conversation(agent) -> list[tuple[dict, str, str]]:
        processor = agent.processor
        tracker = DialogueStateTracker.from_events("runner-test", [ActionExecuted("action_listen")],
                                                   processor.domain.slots)
        seen = []
        for text in ["你好", "公司拖欠我三个月工资怎么办", "我要找律师", "我不想活了", "🙂", "离婚孩子归谁"]:
            parsed = await processor.parse_message(UserMessage(text))
            tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parsed))
            prediction = processor._predict_next_with_tracker(tracker)
            action = processor.domain.action_names_or_texts[prediction.max_confidence_index]
            seen.append((parsed, action, prediction.policy_name))
            tracker.update(ActionExecuted("action_listen"))
        return seen

    async def both() -> tuple[list, list]:
        agent = await load_agent(model_path=str(MODEL))
        dask_runner = agent.processor.graph_runner
        assert type(dask_runner) is DaskGraphRunner
        expected = await conversation(agent)
        in_order = InOrderGraphRunner.__new__(InOrderGraphRunner)
        in_order.__dict__.update(dask_runner.__dict__, _plans={})  # the same loaded nodes
        agent.processor.graph_runner = in_order
        return expected, await conversation(agent)

    expected, got = asyncio.run(both())
    assert got == expected


def test_installed_it_is_the_runner_rasa_builds_when_it_loads_a_model(monkeypatch):
    import rasa.core.processor

    from intake_dialogue import graph_runner

    monkeypatch.setattr(rasa.core.processor, "DaskGraphRunner", DaskGraphRunner)  # restored after the test
    graph_runner.install()
    assert rasa.core.processor.DaskGraphRunner is InOrderGraphRunner
