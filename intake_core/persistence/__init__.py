"""Application database: models, lazily created engine and sessions."""
