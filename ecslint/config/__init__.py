"""Configuration and what the user chose: settings files, rule selection, globs, suppressions, the baseline.

May import ``ecslint.core``, ``ecslint.readers`` (safe YAML) and ``ecslint.catalogue``.
"""
