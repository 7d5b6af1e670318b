from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing: the tests expect the project's shared folder beside the repository")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return shared_path("examples", "seed-task-definition.json")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return shared_path("corpus", "real")
