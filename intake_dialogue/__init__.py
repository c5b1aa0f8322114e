"""Dialogue components of the model (policies); NLU components are in intake_nlu.

Rasa imports this package whenever it loads the model (the human-handoff policy is in
config.yml), which is where two changes to Rasa's calls to the action server are installed:
the faster check of its answers (action_result_check.py: same check, the validator built once)
and the domain sent once, not with every call, through one kept-alive session (domain_once.py).
Two more make Rasa's own work cheaper and change none of its results: a slot copied directly,
not through pickle's protocol (slot_copy.py), and RulePolicy's search for matching rules stopped
once no state can change it (rule_lookup.py).
"""
from intake_dialogue import action_result_check, domain_once, rule_lookup, slot_copy

action_result_check.install()
domain_once.install()
rule_lookup.install()
slot_copy.install()
