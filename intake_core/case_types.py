"""The four case types (stable interface of the ``case_type`` slot) and the
intents that name them, from the practice-area registry
(content/practice_areas.yml). Kept free of Rasa imports: the action server uses it.

Read at import: the CaseTypeClassifier trains on these labels, so a change of
the registry's intents or case types needs a retrain (the Makefile's model
rule lists the file)."""

from intake_core.practice_areas import case_type_by_intent, case_types

CASE_TYPE_BY_INTENT = case_type_by_intent()
CASE_TYPES = case_types()
