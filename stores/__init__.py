"""Rasa's stores, extended (loaded by `rasa run` from endpoints*.yml; outside ``actions`` because
rasa_sdk imports every module of that package into the action server)."""
