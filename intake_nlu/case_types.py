"""The four case types (stable interface of the ``case_type`` slot) and the
intents that name them. Kept free of Rasa imports: the action server uses it."""

CASE_TYPE_BY_INTENT = {
    "consult_divorce": "divorce",
    "consult_labor": "labor",
    "consult_contract": "contract",
    "consult_other": "other",
}
CASE_TYPES = tuple(CASE_TYPE_BY_INTENT.values())
