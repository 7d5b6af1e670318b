"""Reporters: pure functions of the findings, ``render(findings, context) -> str``, one module per format.

``formats.get_reporter`` picks one by name; ``stream`` writes a report while files are still being
checked.  May import ``ecslint.core`` and ``ecslint.catalogue`` (the rules' documentation for SARIF).
"""
