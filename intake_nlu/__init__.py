"""Custom NLU parts for the Chinese intake assistant.

- ``text``: text normalisation shared by the NLU pipeline and the actions.
- ``normalizer``: pipeline component that applies it before jieba.
- ``safety_lexicon``: the lawyer-reviewed lexicon (content/safety_lexicon.yml).
- ``safety_net``: pipeline component that routes lexicon hits to crisis/handoff.
"""
