"""The domain's digest (intake_core/domain_digest.py) and the action server's bounded map of
domains by digest (actions/known_domains.py): both sides of the domain-once protocol compute
the same digest, and it changes when the domain does (issue 18, docs/action-calls.md)."""
from __future__ import annotations

import copy
import hashlib
import json

import pytest
import ujson
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.known_domains import KnownDomains
from intake_core.domain_digest import domain_digest

# JSON values as a domain or a tracker holds them: Chinese, emoji, finite floats, 64-bit ints.
TEXT = st.text(alphabet=st.sampled_from("abc_ 借款劳动合同工伤赔偿？！“”\n\t\\\"'😀🙏🏻é\u200b"), max_size=8)
SCALAR = (st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
          | st.floats(allow_nan=False, allow_infinity=False) | TEXT)
JSON_VALUE = st.recursive(SCALAR, lambda children: st.lists(children, max_size=4)
                          | st.dictionaries(TEXT, children, max_size=4), max_leaves=12)
DOMAIN_LIKE = st.dictionaries(TEXT, JSON_VALUE, max_size=6)


@pytest.fixture(scope="module")
def project_domain() -> dict:
    from rasa.shared.core.domain import Domain

    from assistant_server import PROJECT_ROOT

    return Domain.load(str(PROJECT_ROOT / "domain")).as_dict()


def test_the_digest_is_sha256_hex_of_the_canonical_json():
    assert domain_digest({"b": 1, "a": "借"}) == hashlib.sha256('{"a":"借","b":1}'.encode()).hexdigest()


def test_the_digest_does_not_depend_on_the_order_of_keys():
    assert domain_digest({"a": 1, "b": {"x": [1, 2], "y": None}}) == domain_digest({"b": {"y": None, "x": [1, 2]},
                                                                                     "a": 1})


@settings(max_examples=300, deadline=None)
@given(DOMAIN_LIKE)
def test_the_action_server_computes_rasas_digest_from_what_it_parses(domain):
    """Rasa sends json.dumps of its dict (aiohttp); Sanic parses it with ujson; same digest."""
    received = ujson.loads(json.dumps(domain))
    assert domain_digest(received) == domain_digest(domain)


def test_the_projects_domain_has_one_digest_on_both_sides(project_domain):
    received = ujson.loads(json.dumps(project_domain))
    assert received == project_domain
    assert domain_digest(received) == domain_digest(project_domain)


def test_the_digest_changes_when_one_response_changes(project_domain):
    edited = copy.deepcopy(project_domain)
    name = sorted(edited["responses"])[0]
    edited["responses"][name][0]["text"] = edited["responses"][name][0].get("text", "") + "。"
    assert domain_digest(edited) != domain_digest(project_domain)


def test_the_digest_changes_when_a_value_changes_type():
    assert len({domain_digest({"a": value}) for value in (1, 1.0, True, "1", [1], None)}) == 6


def test_a_domain_is_kept_under_its_own_digest_only():
    known = KnownDomains()
    domain = {"slots": {"case_type": {"type": "text"}}}
    assert known.keep(domain, domain_digest({"slots": {}})) is False
    assert known.get(domain_digest({"slots": {}})) is None and len(known) == 0
    assert known.keep(domain, domain_digest(domain)) is True
    assert known.get(domain_digest(domain)) is domain


def test_the_least_recently_used_domain_goes_first():
    known = KnownDomains(size=2)
    first, second, third = ({"version": n} for n in range(3))
    known.keep(first, domain_digest(first))
    known.keep(second, domain_digest(second))
    known.get(domain_digest(first))  # used: second is now the oldest
    known.keep(third, domain_digest(third))
    assert [known.get(domain_digest(d)) for d in (first, second, third)] == [first, None, third]
    assert len(known) == 2
