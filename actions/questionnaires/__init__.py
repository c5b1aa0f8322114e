"""The intake questionnaires' Rasa side: forms driven by content/questionnaires.yml
through ``intake_core.questionnaires`` (definitions, answers, records).

- ``validation``: the shared FormValidationAction behind every questionnaire.
- ``forms``: one validator and one summary action per questionnaire, made from the file.
- ``flow``: submitting an intake, answering a question asked mid-form.
- ``generate``: writes the questionnaires' part of the domain (``make generate``).
"""
