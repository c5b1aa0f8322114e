"""Custom NLU parts for the Chinese intake assistant.

- ``normalizer``: pipeline component that applies ``intake_core.text`` before jieba.
- ``safety_net``: pipeline component that routes hits of the lawyer-reviewed lexicon
  (``intake_core.safety_lexicon``, content/safety_lexicon.yml) to crisis/handoff.
"""
