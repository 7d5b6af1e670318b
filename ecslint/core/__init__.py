"""The vocabulary every layer speaks: findings, JSON pointers, the task-definition view, errors, data.

Imports nothing else from ecslint.
"""
