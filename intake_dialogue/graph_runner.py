"""The model's graph run node after node in a fixed order, without dask's scheduler.

Rasa 3.6 runs the trained model's graph (the NLU pipeline for every message, the policies for
every prediction) with ``DaskGraphRunner``: each run works out the part of the graph its
targets need, builds a dask task graph and hands it to dask's synchronous scheduler, which
calls the same nodes one after another in the calling thread. For a given set of targets the
part and the order never change, and the scheduling costs 0.4-0.8 ms a run (measured in
process on our model); a caller's turn makes three to five runs (one parse, one prediction per
action). ``InOrderGraphRunner`` works the order out once per set of targets and calls the same
``GraphNode`` objects (same components, same hooks) in it.

What stays as in ``DaskGraphRunner``: the nodes it instantiates (it is a subclass), the inputs
passed as ``(name, value)`` pairs, a need that is neither a node nor an input passed on as its
own name (dask's rule for a string that is not a key; the node then refuses the run), an input
named like a node refused, a ``RuntimeError`` reported as ``GraphRunError``. What differs: the
order of nodes that do not depend on each other (our graph's only such nodes are the policies,
which read the tracker and do not change it), and nothing about the inputs is logged (dask's
runner logs them at debug level: they hold the caller's message).

Installed by ``install()`` before Rasa loads the model: scripts/serve_rasa.py (`make run`,
`make bench`, the tests' servers). `rasa shell` and `rasa test` keep Rasa's own runner; the
results are the same (tests/test_graph_runner.py compares both on the trained model).
"""
from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner


class InOrderGraphRunner(DaskGraphRunner):
    """``DaskGraphRunner``'s nodes and results, the nodes called in a cached order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[str, ...], list[tuple[str, tuple[str, ...]]]] = {}

    def plan(self, targets: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
        """(node, the names it needs) for every node the targets need, each after its needs."""
        if targets not in self._plans:
            schema = self._graph_schema.minimal_graph_schema(list(targets))
            order: list[str] = []
            placed: set[str] = set()

            def place(name: str) -> None:
                if name in placed or name not in schema.nodes:
                    return  # already placed, or an input placeholder
                placed.add(name)
                for need in schema.nodes[name].needs.values():
                    place(need)
                order.append(name)

            for target in targets:
                place(target)
            self._plans[targets] = [(name, tuple(schema.nodes[name].needs.values())) for name in order]
        return self._plans[targets]

    def run(self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> dict[str, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        plan = self.plan(run_targets)
        values: dict[str, Any] = {name: None for name, _ in plan}
        self._add_inputs_to_graph(inputs, values)  # refuses an input named like a node
        try:
            for name, needs in plan:
                node = self._instantiated_nodes[name]
                values[name] = node(*(values.get(need, need) for need in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(values[target] for target in run_targets)


def install() -> None:
    """Rasa's processor builds its runner from this name when it loads a model."""
    import rasa.core.processor

    rasa.core.processor.DaskGraphRunner = InOrderGraphRunner  # type: ignore[misc]
