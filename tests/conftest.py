from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SARIF_SCHEMA = DATA / "sarif-schema-2.1.0.json"
SEED = REPO / "examples" / "broken" / "seed-task-definition.json"

# The real-world corpus lives outside the repository (it is not ours to ship): ECSLINT_CORPUS names
# its folder; unset, it is ../shared/corpus/real beside the checkout. Tests that need it are skipped,
# with this reason, when it is not there; .ci/run always sets it and fails when it is missing.
CORPUS = Path(os.environ.get("ECSLINT_CORPUS") or REPO.parent / "shared" / "corpus" / "real").absolute()
CORPUS_MISSING = f"the real-world corpus is not at {CORPUS} (set ECSLINT_CORPUS to its folder; .ci/run does)"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_MISSING)


def corpus_files(*folder: str, suffixes: tuple[str, ...] = ()) -> list[Path]:
    """The corpus's files (under `folder`, with one of `suffixes`), sorted; [] when the corpus is missing."""
    root = CORPUS.joinpath(*folder)
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and path.name != "MANIFEST.tsv" and (not suffixes or path.suffix in suffixes)
    )


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(CORPUS_MISSING)
    return CORPUS
