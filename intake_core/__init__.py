"""The Rasa-free application core (issue 17), growing step by step.

What the assistant knows and decides without Rasa lives here, so that the
action server (actions/), the NLU components (intake_nlu/), the channels and
the lawyer console can all read it without importing one another. Nothing in
this package imports rasa, rasa_sdk, actions, intake_nlu, channels or console
(tests/test_practice_areas.py checks it).

Today: the practice-area registry (practice_areas.py) and the content error
type (content.py). Issue 17 moves persistence, tickets, questionnaires and the
guidance engine here in later steps.
"""
