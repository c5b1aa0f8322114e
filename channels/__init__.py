"""Rasa input channels of this project (named in credentials.yml by module path)."""
