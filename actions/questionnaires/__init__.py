"""The intake questionnaires (Rasa forms) driven by content/questionnaires.yml.

- ``definitions``: the questionnaire file, loaded and checked.
- ``answers``: understanding an answer of each kind, and showing it back.
- ``validation``: the shared FormValidationAction behind all three forms.
- ``forms``: the three forms' validators and summary questions.
- ``flow``: submitting an intake, answering a question asked mid-form.
"""
