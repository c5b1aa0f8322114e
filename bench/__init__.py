"""`make bench` (issue 18): simulated callers driving whole intakes over REST and socket.io at
several concurrencies, against the parse-only floor of the same run.

The pure parts (statistics, reply/tracker reconciliation, the report) are separate from the
parts that talk to servers (channels, load, parse floor, process watching), so that the pure
ones are unit-tested without a model (tests/test_bench.py). Entry point: scripts/bench.py.
"""
