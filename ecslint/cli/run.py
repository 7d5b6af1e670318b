"""``ecslint check``: collect inputs, run the engine, render, choose the exit code.

The configuration (file + flags, ``config.py``) picks the rules (``selection.py``), the
catalogue grows by plugin and custom rules (``rulesets.py``), folder walks honour
``include``/``exclude``, and a baseline drops the findings it records (``baseline.py``).
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ecslint import __version__
from ecslint.config.selection import selected
from ecslint.config.settings import Config
from ecslint.core.errors import UsageError
from ecslint.core.model import JSON, Finding, Severity
from ecslint.engine.fixer import FileChangedError, apply, safe_replacements, write_atomically
from ecslint.engine.pipeline import UNUSED_SUPPRESSION, Engine, FileResult
from ecslint.readers.inputs import Input, InputError, collect
from ecslint.reporters.context import ReportContext
from ecslint.reporters.formats import get_reporter

if TYPE_CHECKING:
    from ecslint.reporters.stream import ReportStream

_FAIL_ON = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}


def _read(item: Input) -> bytes:
    if item.path is None:
        return sys.stdin.buffer.read()
    with open(item.path, "rb") as file:
        return file.read()


def run_check(
    paths: list[str],
    *,
    config: Config | None = None,
    output: Path | None = None,
    color: bool = False,
    stdin_name: str = "<stdin>",
    debug: bool = False,
    fix: bool = False,
    diff: bool = False,
    write_baseline: Path | None = None,
    jobs: int = 0,
    only_task_definitions: bool = False,
) -> int:
    """Check ``paths`` and write the report; return the exit code."""
    from ecslint.catalogue.rulesets import build
    from ecslint.config.selection import configure

    config = config or Config()
    fail_on, output_format = config.fail_on, config.format
    if fail_on != "never" and fail_on not in _FAIL_ON:
        raise UsageError(f"--fail-on must be error, warning, info or never, not {fail_on!r}")
    if fix and diff:
        raise UsageError("--fix and --diff exclude each other: --diff shows what --fix would write")
    if fix and "-" in paths:
        raise UsageError("--fix cannot rewrite standard input; use --diff to see the fixes")
    ruleset = build(config.rules_dirs)
    for warning in ruleset.warnings:
        print(f"ecslint: warning: {warning}", file=sys.stderr)
    for problem in ruleset.errors:
        _error(problem)
    trouble = bool(ruleset.errors)
    if config.report_unused_ignores:
        config = config.with_overrides(extend_select=[UNUSED_SUPPRESSION])
    policy = configure(ruleset.catalogue, config)
    accepted = None
    if config.baseline is not None and write_baseline is None:
        from ecslint.config import baseline

        accepted = baseline.read(config.baseline)
    diffs: list[str] = []
    engine = Engine(policy.catalogue, policy.enabled, ignored_for=policy.ignored_for)
    # Without a baseline each finding goes to the report as soon as its file is checked, so
    # memory stays flat however many files there are.
    stream = None
    if accepted is None and write_baseline is None and not diff:
        from ecslint.reporters.stream import ReportStream

        stream = ReportStream(output_format, ReportContext(policy.catalogue, __version__, color, 0))
    keep_data = config.baseline is not None or write_baseline is not None
    findings: list[tuple[Finding, JSON | None]] = []
    files_checked = 0
    items = list(selected(collect(paths, stdin_name), config))
    if only_task_definitions:  # treat named files like walked ones: what is not a task definition is skipped
        items = [Input(i.display, i.path, False) if isinstance(i, Input) else i for i in items]
    workers = 1 if fix or diff else _worker_count(jobs, items)
    for item, outcome in _outcomes(engine, items, workers, keep_data, stream):
        if isinstance(outcome, str):
            _error(f"{item.display}: {outcome}")
            trouble = True
            continue
        result, raw, rendered = outcome
        assert isinstance(item, Input)  # an InputError's outcome is always its reason
        if fix or diff:
            fixed = _fixed_bytes(result, raw)
            if fixed is not None and diff:
                diffs.append(_unified_diff(item.display, raw, fixed))
            elif fixed is not None and item.path is not None:
                try:
                    write_atomically(Path(item.path), fixed, raw)
                except (OSError, FileChangedError) as error:
                    _error(f"{item.display}: not fixed: {error}")
                    trouble = True
                else:
                    result = engine.check_bytes(item.display, fixed, explicit=item.explicit)
        if result.is_task_definition:
            files_checked += 1
        if stream is not None:
            for severity, chunk in rendered if rendered is not None else _rendered(stream, result.findings):
                stream.add_rendered(severity, chunk)
        else:
            findings.extend((finding, result.data if keep_data else None) for finding in result.findings)
        trouble = _report_internal_errors(result, debug) or trouble
    if stream is not None:
        if not _emit_stream(stream, output, files_checked):
            return 2
        if trouble:
            return 2
        if fail_on == "never":
            return 0
        return 1 if any(count for severity, count in stream.counts.items() if severity >= _FAIL_ON[fail_on]) else 0
    if diff:
        sys.stdout.buffer.write("".join(diffs).encode("utf-8"))
        sys.stdout.buffer.flush()
        return 2 if trouble else (1 if diffs else 0)
    if write_baseline is not None:
        from ecslint.config import baseline

        count = baseline.write(write_baseline, findings)
        print(f"ecslint: wrote {count} finding(s) to the baseline {write_baseline}", file=sys.stderr)
        return 2 if trouble else 0
    reported = [finding for finding, _ in findings]
    if accepted is not None and config.baseline is not None:
        from ecslint.config import baseline

        reported = baseline.new_findings(findings, accepted, config.baseline.absolute().parent)
    context = ReportContext(policy.catalogue, __version__, color, files_checked)
    report = get_reporter(output_format)(reported, context)
    if not _emit(report, output):
        return 2
    if trouble:
        return 2
    if fail_on == "never":
        return 0
    threshold = _FAIL_ON[fail_on]
    return 1 if any(finding.severity >= threshold for finding in reported) else 0


# -- checking files, in this process or in several -------------------------------------------

_PARALLEL_FROM = 64  # fewer files than this are checked faster than worker processes start
# The result, the bytes read and (from a worker, when the report is streamed) the findings
# already rendered; or why the file could not be read.
_Outcome = tuple[FileResult, bytes, list[tuple[Severity, bytes]] | None] | str
# Inherited by forked workers:
_WORKER_ENGINE: Engine | None = None
_WORKER_KEEPS_DATA = False
_WORKER_STREAM: ReportStream | None = None
_WORKER_ITEMS: list[Input | InputError] = []


def _rendered(stream: ReportStream, findings: list[Finding]) -> list[tuple[Severity, bytes]]:
    return [(finding.severity, stream.render(finding)) for finding in findings]


def _worker_count(jobs: int, items: list[Input | InputError]) -> int:
    """``-j N``: N processes (1 = this one); 0: every core, when there are many files."""
    if jobs > 0:
        return jobs
    if len(items) < _PARALLEL_FROM:
        return 1
    return min(os.cpu_count() or 1, max(1, len(items) // _PARALLEL_FROM))


def _check_item(engine: Engine, item: Input | InputError) -> _Outcome:
    if isinstance(item, InputError):
        return item.reason
    try:
        raw = _read(item)
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
    return engine.check_bytes(item.display, raw, explicit=item.explicit), raw, None


def _work(position: int) -> _Outcome:
    """Check the item at ``position`` of the list the forked worker inherited (an int pickles
    in a fraction of the time a path takes)."""
    assert _WORKER_ENGINE is not None
    outcome = _check_item(_WORKER_ENGINE, _WORKER_ITEMS[position])
    if isinstance(outcome, str):
        return outcome
    result, _, _ = outcome
    result.text = None  # only --fix needs the text, and it runs in one process
    if not _WORKER_KEEPS_DATA:
        result.data = None  # only a baseline needs the documents: do not send them back
    rendered = None
    if _WORKER_STREAM is not None:  # render here, in parallel, rather than in the parent
        rendered = _rendered(_WORKER_STREAM, result.findings)
        result.findings = []
    return result, b"", rendered  # the parent needs the bytes only for --fix, which runs in one process


def _outcomes(
    engine: Engine,
    items: list[Input | InputError],
    workers: int,
    keep_data: bool = False,
    stream: ReportStream | None = None,
) -> Iterator[tuple[Input | InputError, _Outcome]]:
    """Each item with its outcome, in the items' order, however many processes check them."""
    global _WORKER_ENGINE, _WORKER_KEEPS_DATA, _WORKER_STREAM, _WORKER_ITEMS
    parallel = workers > 1 and not any(isinstance(i, Input) and i.path is None for i in items)
    if parallel:
        import multiprocessing  # only here: it costs several milliseconds to import

        parallel = "fork" in multiprocessing.get_all_start_methods()
    if not parallel:
        for item in items:
            yield item, _check_item(engine, item)
        return
    # forked workers inherit these
    _WORKER_ENGINE, _WORKER_KEEPS_DATA, _WORKER_STREAM, _WORKER_ITEMS = engine, keep_data, stream, items
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(64, len(items) // (workers * 8)))
    with context.Pool(workers) as pool:
        yield from zip(items, pool.imap(_work, range(len(items)), chunksize=chunk), strict=True)


def _fixed_bytes(result: FileResult, raw: bytes) -> bytes | None:
    """The file's bytes with every safe fix applied, or None when there is nothing to fix."""
    if result.text is None:
        return None
    replacements = safe_replacements(result.findings)
    if not replacements:
        return None
    text = apply(result.text, replacements)
    if raw.startswith(codecs.BOM_UTF8) and result.text.startswith(" ") and text.startswith(" "):
        text = "\ufeff" + text[1:]  # the BOM was not meant to go: keep it
    data = text.encode("utf-8")
    return None if data == raw else data


def _unified_diff(display: str, before: bytes, after: bytes) -> str:
    import difflib

    old = before.decode("utf-8", errors="replace").splitlines(keepends=True)
    new = after.decode("utf-8", errors="replace").splitlines(keepends=True)
    before_name, after_name = (display, display) if display.startswith("/") else (f"a/{display}", f"b/{display}")
    lines = difflib.unified_diff(old, new, fromfile=before_name, tofile=after_name)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _report_internal_errors(result: FileResult, debug: bool) -> bool:
    for error in result.internal_errors:
        _error(f"{error.path}: internal error in rule {error.rule_id}: {error.message}")
        if debug:
            print(error.traceback, file=sys.stderr)
    return bool(result.internal_errors)


def _emit_stream(stream: ReportStream, output: Path | None, files_checked: int) -> bool:
    if output is None:
        stream.finish(sys.stdout.buffer, files_checked)
        sys.stdout.buffer.flush()
        return True
    try:
        with output.open("wb") as handle:
            stream.finish(handle, files_checked)
    except OSError as error:
        stream.close()
        _error(f"{output}: cannot write the report: {error.strerror or error}")
        return False
    return True


def _emit(report: str, output: Path | None) -> bool:
    data = report.encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return True
    try:
        output.write_bytes(data)
    except OSError as error:
        _error(f"{output}: cannot write the report: {error.strerror or error}")
        return False
    return True


def _error(message: str) -> None:
    print(f"ecslint: error: {message}", file=sys.stderr)
