"""Dialogue components of the model (policies); NLU components are in intake_nlu.

Rasa imports this package whenever it loads the model (the human-handoff policy is in
config.yml), which is where the faster check of action-server answers is installed
(action_result_check.py: same check, the validator built once).
"""
from intake_dialogue import action_result_check

action_result_check.install()
