"""Grammar and spelling: the LanguageTool client, its cache, offline spelling, house vocabulary.

The rules in ``msglint.rules.grammar`` and ``msglint.rules.spelling`` use these modules; nothing
here knows about rules or findings.
"""
