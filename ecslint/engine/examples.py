"""A catalogue example checked as a file would be, with the other files of its run (``beside``)."""

from __future__ import annotations

import json

from ecslint.catalogue.entries import Example
from ecslint.core.account import ListedAccount
from ecslint.engine.pairing import Pairing
from ecslint.engine.pipeline import Engine, FileResult


def check_example(engine: Engine, example: Example) -> FileResult:
    """The example's own file checked; a service or run-task example is paired with ``beside``."""
    name, raw, fragment = example.file_input()
    if example.account is not None:  # an account check's example: the account it describes
        lists = {name: tuple(names) for name, names in example.account}
        account = ListedAccount(**lists)
        engine = Engine(engine.catalogue, engine.enabled, ignored_for=engine.ignored_for, account=account)
    result = engine.check_bytes(name, raw, explicit=True, fragment=fragment)
    if not example.beside:
        return result
    pairing: Pairing[str] = Pairing(engine)
    for other, document in example.beside:
        # a text (a .tf file) as written; a document as the JSON file it stands for
        other_raw = document.encode() if isinstance(document, str) else json.dumps(document, indent=2).encode()
        pairing.note(other, other, None, engine.check_bytes(other, other_raw), other_raw, True)
    pairing.note(name, name, None, result, raw, True)
    for _, paired, _ in pairing.results():
        result.findings.extend(paired.findings)
        result.internal_errors.extend(paired.internal_errors)
    return result
