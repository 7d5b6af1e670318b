"""The live AWS account (``ecslint check --aws``): answers to the account checks' questions.

Imported only with ``--aws``; boto3 is the optional extra ``aws``.  May import ``ecslint.core`` only.
"""
