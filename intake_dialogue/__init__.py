"""Dialogue components of the model (policies); NLU components are in intake_nlu."""
