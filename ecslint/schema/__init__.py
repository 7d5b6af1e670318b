"""The schema layer: a task definition against the JSON Schema generated from the AWS API model.

``validation`` turns schema errors into violations; ``compiled`` is the schema compiled to Python.
May import ``ecslint.core`` only.
"""
