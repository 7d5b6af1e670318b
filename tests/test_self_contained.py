"""A bare clone is enough: no test reads outside the repository except the corpus, no file names a
folder of one machine, and .ci/run refuses to run without the corpus or on a Python older than 3.11."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

# A machine's folder is a path that exists on one computer only: a user's home (/home/<name>,
# /Users/<name>, /root, C:\Users\<name>), this team's workspace folder, a test run's temporary
# folder (/tmp/pytest-of-<name>, macOS /private/var/folders/...) and, found at run time, the folder this
# checkout sits in. Paths that mean the same on every machine are not: a container's paths inside a
# task definition (/var/run/docker.sock, /tmp/ready, /app), scratch paths a command creates (/tmp/bench)
# and the home of GitHub's hosted runner (/home/runner/work/...), which is what SARIF sees in CI.
MACHINE_FOLDER = re.compile(
    r"(?<![\w.~/:-])(?:"
    r"/(?:work)/"  # the team's workspace, spelt so that this file does not name it
    r"|/home/(?!runner/)[\w.-]+"
    r"|/Users/[\w.-]+"
    r"|/root/"
    r"|/tmp/pytest-of-"
    r"|/private/var/folders/"
    r"|[A-Za-z]:\\{1,2}Users\\{1,2}"
    r")"
)


def _tracked_files() -> list[Path]:
    if shutil.which("git") and (REPO / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
        return [REPO / name for name in listed.decode().split("\0") if name]
    skip = {".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"}
    return [p for p in REPO.rglob("*") if p.is_file() and not skip & set(p.relative_to(REPO).parts)]


def _machine_folders(text: str) -> list[str]:
    found = [match.group(0) for match in MACHINE_FOLDER.finditer(text)]
    for folder in sorted({str(REPO), str(REPO.parent)} - {"/"}):  # where this checkout is, on this machine
        found += re.findall(rf"(?<![\w.~/:-]){re.escape(folder)}(?![\w.-])", text)
    return found


def test_no_file_names_a_folder_of_one_machine() -> None:
    files = [path for path in _tracked_files() if path != Path(__file__).resolve()]  # this file has examples
    assert len(files) > 100
    bad = []
    for path in files:
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, FileNotFoundError):  # binary, or deleted but not yet committed
            continue
        bad += [f"{path.relative_to(REPO)}: {folder}" for folder in _machine_folders(text)]
    assert not bad, bad


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("CORPUS = Path('/" + "work/shared/corpus/real/tf')", True),
        ("see /home/alice/src/ecslint/tests", True),
        ("open('/Users/bob/Desktop/td.json')", True),
        ("cache in /root/.cache/pip", True),
        (r"C:\Users\carol\td.json", True),
        ("/tmp/pytest-of-dave/pytest-3/test_x0", True),
        ('"sourcePath": "/var/run/docker.sock"', False),
        ('["CMD", "test", "-f", "/tmp/ready"]', False),
        ("uri: file:///home/runner/work/td.json", False),
        ("python3 -m venv /tmp/bench", False),
        ("../shared/corpus/real", False),
        ("C:\\work\\td.json", False),
        ("uri: file:///C:/work/td.json", False),
    ],
)
def test_what_counts_as_a_machine_folder(text: str, flagged: bool) -> None:
    assert bool(_machine_folders(text)) is flagged


def test_only_the_conftest_knows_where_the_corpus_lives() -> None:
    """Tests take the corpus from tests/conftest.py (ECSLINT_CORPUS) and everything else from the repository."""
    bad = [
        str(path.relative_to(REPO))
        for path in sorted((REPO / "tests").rglob("*.py"))
        # test_architecture.py names ../shared as a word that code must not contain
        if path.name not in {"conftest.py", "test_self_contained.py", "test_architecture.py"}
        and re.search(r"""\.\./shared|/ *"shared"|SHARED\b""", path.read_text("utf-8"))
    ]
    assert not bad, bad


def test_corpus_tests_are_skipped_with_their_reason_when_it_is_missing(tmp_path: Path) -> None:
    env = {**os.environ, "ECSLINT_CORPUS": str(tmp_path / "no-corpus-here")}
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "tests/test_corpus.py"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "SKIPPED" in completed.stdout
    assert f"the real-world corpus is not at {tmp_path / 'no-corpus-here'}" in completed.stdout


def _ci_copy(tmp_path: Path) -> Path:
    """.ci/run in a scratch checkout, so that a mistake here can never delete this checkout's .venv."""
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy2(REPO / ".ci" / "run", repo / ".ci" / "run")
    return repo / ".ci" / "run"


def test_ci_fails_clearly_without_the_corpus(tmp_path: Path) -> None:
    script = _ci_copy(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "ECSLINT_CORPUS"}
    completed = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 1
    assert ".ci/run: the real-world corpus is missing: no folder ../shared/corpus/real" in completed.stderr
    assert not (tmp_path / "repo" / ".venv").exists()


def test_ci_fails_clearly_on_a_python_older_than_3_11(tmp_path: Path) -> None:
    script = _ci_copy(tmp_path)
    (tmp_path / "shared" / "corpus" / "real").mkdir(parents=True)
    old = tmp_path / "bin" / "python3"
    old.parent.mkdir()
    old.write_text(
        '#!/bin/sh\ncase "$2" in *platform*) echo 3.10.14 ;; *) exit 1 ;; esac\n'  # python3 -c '...': too old
    )
    old.chmod(0o755)
    env = {**os.environ, "PATH": f"{old.parent}{os.pathsep}{os.environ['PATH']}"}
    completed = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 1
    assert ".ci/run: python3 is Python 3.10.14; ecslint needs 3.11 or newer" in completed.stderr
    assert not (tmp_path / "repo" / ".venv").exists()


def test_the_license_is_the_apache_license_2_0_unmodified() -> None:
    """pyproject.toml says Apache-2.0; LICENSE is the text of https://www.apache.org/licenses/LICENSE-2.0.txt."""
    import hashlib

    assert 'license = "Apache-2.0"' in (REPO / "pyproject.toml").read_text("utf-8")
    digest = hashlib.sha256((REPO / "LICENSE").read_bytes()).hexdigest()
    assert digest == "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"
