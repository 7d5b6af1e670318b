"""The rule catalogue: rule entries (``rules/`` YAML), declarative rules, plugins and custom rule folders.

May import ``ecslint.core``, ``ecslint.readers`` (safe YAML) and ``ecslint.checks`` (the check registry).
"""
