"""The Rasa-free application core (issue 17).

What the assistant knows and decides without Rasa lives here, so that the
action server (actions/), the NLU components (intake_nlu/), the channels, the
lawyer console and the migrations all read it without importing one another.
Nothing in this package imports rasa, rasa_sdk, actions, intake_nlu, channels
or console (tests/test_practice_areas.py checks it).

- ``practice_areas``: the practice-area registry (content/practice_areas.yml);
  ``case_types``, ``case_type``: the stable case types and reading one from an
  NLU result.
- ``content``: the content error type; ``config``: the project's paths and
  every environment variable, declared, read and checked in one place;
  ``domain_files``: the domain as plain data.
- ``persistence``: the application database (models, sessions, encryption at
  rest and its keys).
- ``desk``: tickets (urgency, status), office hours, the conflict check, staff
  notifications, the handoff settings.
- ``questionnaires``: the intake questionnaires as data, answers, records.
- ``extraction``: understanding free-text answers (amounts, dates, choices).
- ``guidance``: the guidance engine, its calculators, deadlines and records.
- ``statutes``: the statute texts and article references.
- ``rights``: a copy, deletion, consent withdrawal and retention (PIPL).
- ``text``, ``safety_lexicon``, ``safety_verdict``: text normalisation and the
  lawyer-reviewed safety lexicon, shared by the NLU and the actions.
- ``minors``: a caller under 14; ``namespaces``: conversation ids per channel,
  the names every process agrees on.
"""
