"""Every content file is read by one loader path (intake_core.content) and validated when a
process starts: a broken file stops the action server, the console and Rasa, with the file and
the key named (issue 17). Each test breaks one file of a copy of content/."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from intake_core import content
from intake_core.content import CONTENT_DIR, PROJECT_ROOT, ContentError, read_yaml, validate_all
from intake_core.practice_areas import areas

CONTENT_FILES = sorted(str(path.relative_to(CONTENT_DIR)) for path in CONTENT_DIR.rglob("*.yml"))
# A statute text (content/laws/*.md) stands for all of them: read_statutes reads every one alike.
STATUTE_TEXT = "laws/劳动法(2018-12-29).md"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """One copy of content/, copied again for each test (cheaper than from the project)."""
    copy = tmp_path_factory.mktemp("pristine") / "content"
    shutil.copytree(CONTENT_DIR, copy)
    return copy


@pytest.fixture
def copy(pristine, tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(pristine, target)
    return target


def test_the_shipped_content_is_valid():
    validate_all()


def test_a_copy_of_the_shipped_content_is_valid(copy):
    validate_all(copy)


@pytest.mark.parametrize("name", CONTENT_FILES + [STATUTE_TEXT])
def test_an_unreadable_file_is_named(copy, name):
    path = copy / name
    if name.endswith(".yml"):
        path.write_text("version: 1\nbroken: [unclosed\n", encoding="utf-8")
        expected = "not valid YAML"
    else:  # a statute text has no YAML: an article twice is what breaks it
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "\n第一条 又一个第一条。\n", encoding="utf-8")
        expected = "article 1 appears twice"
    with pytest.raises(ContentError) as refused:
        validate_all(copy)
    assert str(refused.value).startswith(f"{path}: ") and expected in str(refused.value), str(refused.value)


def _edit(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set (or, with ``DROP``, remove) ``dotted`` ("a.b.0.c": list items by index)."""
    *parents, last = dotted.split(".")
    for key in parents:
        data = data[int(key)] if isinstance(data, list) else data[key]
    key = int(last) if isinstance(data, list) else last
    if value is DROP:
        del data[key]
    else:
        data[key] = value


DROP = object()
# For each content file, one mistake a person editing it could make, and the key it is named by.
SCHEMA_MISTAKES = {
    "caller_gate.yml": ("too_fast", DROP, "too_fast: missing"),
    "conflict_check.yml": ("match_score", 200, "match_score: must be a similarity"),
    "glossary.yml": ("entries.0.answer", "", "entries[0].answer: must be text"),
    "guidance/contract.yml": ("legal_basis.0.article", 99999, "legal_basis[0].article"),
    "guidance/divorce.yml": ("evidence.0.item", None, "evidence[0].item: must be text"),
    "guidance/formats.yml": ("titles", DROP, "titles: missing"),
    "guidance/labor.yml": ("legal_basis.0.quote", "并非条文原文的一句话。", "legal_basis[0].quote: not word for word"),
    "guidance/parameters.yml": ("deposit.cap_rate", 0.2, "deposit.cap_rate: write the number as a quoted string"),
    "guidance/traffic.yml": ("case_type", "labor", "case_type: must be 'other'"),
    "guidance/work_injury.yml": ("plain_summary.0.when", {"slot": "traffic_harm", "present": True},
                                 "plain_summary[0].when.slot: 'traffic_harm' is not a question"),
    "handoff.yml": ("response_minutes.urgent", 0, "response_minutes.urgent: must be a positive number"),
    "laws/laws.yml": ("reading.fillers", [], "reading.fillers: must be a list of words"),
    "office_hours.yml": ("opens", "9点", "opens: must be HH:MM"),
    "practice_areas.yml": ("areas.labor.staff_name", "", "areas.labor.staff_name: must be text"),
    "privacy.yml": ("sensitive.health.ask", DROP, "sensitive.health.ask: missing"),
    "questionnaires.yml": ("labor_form.questions.0.kind", "essay", "labor_form.labor_employer: kind must be one of"),
    "safety_lexicon.yml": ("crisis.kinds.self_harm.triggers.0", "(不想活", "crisis.self_harm: invalid pattern"),
    "staff_notifications.yml": ("texts.new", DROP, "texts.new: missing"),
    "wechat.yml": ("image_received", "收到图片{name}", "image_received: {name} is not filled in"),
}

# An area's guidance file with no mistake of its own above gets this one: the guidance files share
# one schema, so a new area (private_loan) is checked without a line here (docs/practice-areas.md).
GUIDANCE_MISTAKE = ("legal_basis.0.quote", "并非条文原文的一句话。", "legal_basis[0].quote: not word for word")
for _area in areas():
    if _area.guidance:
        SCHEMA_MISTAKES.setdefault(f"guidance/{_area.guidance}", GUIDANCE_MISTAKE)


def test_every_content_file_has_a_mistake_below():
    assert sorted(SCHEMA_MISTAKES) == CONTENT_FILES


@pytest.mark.parametrize("name", sorted(SCHEMA_MISTAKES))
def test_a_mistake_in_a_file_is_named_with_its_key(copy, name):
    dotted, value, expected = SCHEMA_MISTAKES[name]
    path = copy / name
    data = read_yaml(path)
    _edit(data, dotted, value)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        validate_all(copy)
    assert str(refused.value).startswith(f"{path}: {expected}"), str(refused.value)


def test_the_loaders_read_content_through_read_yaml():
    # One reading of a YAML file (and one error for a broken one): no loader opens its own.
    readers = []
    for package in ("intake_core", "actions", "channels", "console", "intake_nlu", "intake_dialogue"):
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if "safe_load(" in text or "yaml.load(" in text:
                readers.append(str(path.relative_to(PROJECT_ROOT)))
    # content.py is the reader; domain_files reads domain/, evaluation the NLU data, generate its
    # own rule template: none of them content/.
    assert sorted(readers) == ["actions/questionnaires/generate.py", "intake_core/content.py",
                       "intake_core/domain_files.py", "intake_nlu/evaluation.py"]


# --- the processes stop at start-up -----------------------------------------------------------


def _broken(copy: Path) -> Path:
    """The copy with a glossary entry lacking its answer: what every start-up must refuse."""
    path = copy / "glossary.yml"
    data = read_yaml(path)
    del data["entries"][1]["answer"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _started_with(copy: Path, statement: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``statement`` in a fresh interpreter whose content/ is ``copy``."""
    code = (f"import intake_core.content as c; from pathlib import Path; c.CONTENT_DIR = Path({str(copy)!r}); "
            f"{statement}")
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RASA_AUTH_TOKEN": "a-test-token"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_the_action_server_does_not_start(copy):
    # What `python -m actions.server` and rasa_sdk do first: import the actions package.
    path = _broken(copy)
    started = _started_with(copy, "import actions")
    assert started.returncode != 0
    assert f"ContentError: {path}: entries[1]: must have terms and answer" in started.stderr, started.stderr[-2000:]


def test_the_console_does_not_start(copy):
    path = _broken(copy)
    started = _started_with(
        copy, "import sys; from console.__main__ import main; sys.exit(main(['serve', '--port', '1']))"
    )
    assert started.returncode == 2
    assert f"The console does not start: {path}: entries[1]" in started.stderr, started.stderr[-2000:]


def test_rasa_does_not_start(copy):
    path = _broken(copy)
    launcher = PROJECT_ROOT / "scripts" / "serve_rasa.py"
    started = _started_with(
        copy,
        f"import runpy, sys; sys.argv = ['serve_rasa.py', '--port', '1']; "
        f"runpy.run_path({str(launcher)!r}, run_name='__main__')",
    )
    assert started.returncode == 2
    assert f"Rasa does not start: {path}: entries[1]" in started.stderr, started.stderr[-2000:]


def test_loading_a_model_checks_the_content(copy, monkeypatch):
    # `rasa shell`, `rasa train`: the pipeline's first component is created with the model.
    from intake_nlu.normalizer import ChineseTextNormalizer

    path = _broken(copy)
    monkeypatch.setattr(content, "CONTENT_DIR", copy)
    with pytest.raises(ContentError, match="entries\\[1\\]") as refused:
        ChineseTextNormalizer.create({}, None, None, None)
    assert str(path) in str(refused.value)
