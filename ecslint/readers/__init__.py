"""Readers: which files to check, and each file's bytes -> text -> the task-definition documents in it.

Syntax problems are explained here (``syntax``), and ``locate`` is the only code that turns a JSON
pointer into a line and column.  May import ``ecslint.core`` only.
"""
