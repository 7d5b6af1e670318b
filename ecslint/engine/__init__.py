"""The engine: runs syntax, schema, checks and policies on one file and makes findings; applies fixes.

May import every layer below it: core, readers, schema, checks, catalogue and config.
"""
