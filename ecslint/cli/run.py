"""``ecslint check``: collect inputs, run the engine, render, choose the exit code.

The configuration (file + flags, ``config.py``) picks the rules (``selection.py``), the
catalogue grows by plugin and custom rules (``rulesets.py``), folder walks honour
``include``/``exclude``, and a baseline drops the findings it records (``baseline.py``).
"""

from __future__ import annotations

import codecs
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ecslint import __version__
from ecslint.cli import start_up_done
from ecslint.config.selection import selected
from ecslint.config.settings import Config
from ecslint.core.errors import UsageError
from ecslint.core.model import JSON, Finding, Severity
from ecslint.engine.fixer import (
    FileChangedError,
    UnsafeFixError,
    apply,
    check_fixed,
    chosen_replacements,
    write_atomically,
)
from ecslint.engine.pairing import Pairing
from ecslint.engine.pipeline import UNUSED_SUPPRESSION, Engine, FileResult, failed_file, internal_error
from ecslint.readers.inputs import Input, InputError, collect, read
from ecslint.readers.sources import MAX_FILE_BYTES
from ecslint.reporters.context import ReportContext
from ecslint.reporters.formats import get_reporter

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from ecslint.reporters.stream import ReportStream

_FAIL_ON = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}


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
    aws: bool = False,
    quiet: bool = False,
    verbose: bool = False,
    statistics: bool = False,
    exit_zero: bool = False,
    reports: Sequence[str] = (),
    no_ignore: bool = False,
    unsafe_fixes: bool = False,
) -> int:
    """Check ``paths`` and write the report (and one more per ``FORMAT=PATH`` in ``reports``); the exit code."""
    from ecslint.catalogue.rulesets import build
    from ecslint.config.selection import configure

    started = time.perf_counter() if verbose else 0.0
    config = config or Config()
    fail_on, output_format = ("never" if exit_zero else config.fail_on), config.format
    if verbose:
        _note(f"configuration: {config.path if config.path is not None else 'none found, the defaults'}")
    if statistics and output_format not in ("text", "json"):
        raise UsageError(f"--statistics prints text or json, not {output_format}")
    if fail_on != "never" and fail_on not in _FAIL_ON:
        raise UsageError(f"--fail-on must be error, warning, info or never, not {fail_on!r}")
    if fix and diff:
        raise UsageError("--fix and --diff exclude each other: --diff shows what --fix would write")
    if fix and "-" in paths and paths != ["-"]:
        raise UsageError("--fix - reads standard input alone: name no other paths with it")
    if unsafe_fixes and not (fix or diff):
        raise UsageError("--unsafe-fixes goes with --fix or --diff")
    # `--fix -`: the fixed text goes to standard output, the report to standard error (as ruff and prettier)
    stdin_fix = fix and paths == ["-"]
    fixed_counts: dict[str, int] = {}
    fixed_files = 0
    unsafe_left = 0
    stdin_text: bytes | None = None
    extra = _parse_reports(reports, output)
    if extra and (diff or write_baseline is not None):
        raise UsageError("--report writes findings; --diff and --write-baseline write none")
    ruleset = build(config.rules_dirs)
    for warning in () if quiet else ruleset.warnings:
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
    account = None
    if aws:  # before any file: no credentials or no endpoint end the run here (exit 2)
        from ecslint.account.aws import connect

        account = connect()
    engine = Engine(
        policy.catalogue,
        policy.enabled,
        ignored_for=policy.ignored_for,
        account=account,
        variables=dict(config.variables),
        target=config.target,
    )
    start_up_done()  # the collector, paused for start-up, runs again for the files
    # Without a baseline each finding goes to the report as soon as its file is checked, so
    # memory stays flat however many files there are.
    stream = None
    if accepted is None and write_baseline is None and not diff and not statistics:
        from ecslint.reporters.stream import ReportStream

        stream = ReportStream(output_format, ReportContext(policy.catalogue, __version__, color, 0, quiet))
    extra_streams = [
        (ReportStream(name, ReportContext(policy.catalogue, __version__)), path)
        for name, path in (extra if stream is not None else [])
    ]
    keep_data = config.baseline is not None or write_baseline is not None
    findings: list[tuple[Finding, JSON | None]] = []
    files_checked = 0
    ignored: list[str] | None = [] if verbose else None
    items = list(selected(collect(paths, stdin_name, respect_ignore=not no_ignore, ignored=ignored), config))
    targets = _targets(output, write_baseline, config.baseline, extra)
    _refuse_to_overwrite(targets, items, stdin_name)  # before named files are treated as walked ones
    if only_task_definitions:  # treat named files like walked ones: what is not a task definition is skipped
        items = [Input(i.display, i.path, False) if isinstance(i, Input) else i for i in items]
    workers = 1 if fix or diff or aws else _worker_count(jobs, items)  # one process asks the account
    pairing: Pairing[Input | InputError] = Pairing(engine)
    overwritten: list[str] = []
    # with several reports, workers send the findings back and each report renders them here
    solo = None if extra_streams else stream
    outcomes = ((item, outcome, False) for item, outcome in _outcomes(engine, items, workers, keep_data, solo))
    # The usages whose task definitions are in other files come after every file is checked: a
    # second pass of files already seen.
    paired = ((item, (result, raw, None), True) for item, result, raw in pairing.results())

    def deliver(result: FileResult, rendered: list[tuple[Severity, bytes]] | None) -> None:
        nonlocal trouble
        if stream is not None:
            for severity, chunk in rendered if rendered is not None else _rendered(stream, result):
                stream.add_rendered(severity, chunk, result.path)
            for other, _ in extra_streams:
                for finding in result.findings:
                    other.add(finding)
        else:
            findings.extend((finding, result.data if keep_data else None) for finding in result.findings)
        trouble = _report_internal_errors(result, debug) or trouble

    # A file whose usages wait for a task definition of another file is reported once, with the
    # findings of both passes in order; the files after it wait with it, so files stay in order.
    in_order = _InOrder(deliver)

    for item, outcome, again in chain(outcomes, paired):
        if isinstance(outcome, str):
            _error(f"{item.display}: {outcome}")
            trouble = True
            continue
        result, raw, rendered = outcome
        assert isinstance(item, Input)  # an InputError's outcome is always its reason
        if fix or diff:
            try:
                fixed, counts = _fixed_bytes(result, raw, unsafe_fixes)
            except UnsafeFixError as error:
                _error(f"{item.display}: not fixed: {error}")
                trouble, fixed, counts = True, None, {}
            except Exception as error:  # a bug in a fix costs this file its fixes, not the run
                result.internal_errors.append(internal_error(result.path, error))
                fixed, counts = None, {}
            if stdin_fix:
                stdin_text = fixed if fixed is not None else raw
                if fixed is not None:
                    result = engine.check_bytes(item.display, fixed, explicit=item.explicit)
            elif fixed is not None and diff:
                diffs.append(_unified_diff(item.display, raw, fixed))
            elif fixed is not None and item.path is not None:
                try:
                    write_atomically(Path(item.path), fixed, raw)
                except (OSError, FileChangedError) as error:
                    _error(f"{item.display}: not fixed: {error}")
                    trouble = True
                    counts = {}
                else:
                    result = engine.check_bytes(item.display, fixed, explicit=item.explicit)
            if counts:  # written, shown as a diff, or sent to standard output
                fixed_files += 1
                for rule_id, count in counts.items():
                    fixed_counts[rule_id] = fixed_counts.get(rule_id, 0) + count
            if not unsafe_fixes:
                unsafe_left += sum(
                    1 for f in result.findings if f.fix is not None and not f.fix.safe and f.fix.replacements
                )
        if result.families or result.uses:
            pairing.note(item, item.display, item.path, result, raw, item.explicit)
        if result.is_task_definition:
            files_checked += 1
            if targets and item.path is not None and not item.explicit:  # a walked task definition
                overwritten.extend(_overwritten(targets, item.path))
        if again:
            in_order.second_pass(id(item), result)
        else:
            in_order.add(id(item), result, rendered, hold=bool(result.uses))
    in_order.finish()  # the files nothing paired with: their first pass is all there is
    if overwritten:
        for other, _ in extra_streams:
            other.close()
        if stream is not None:
            stream.close()
        raise UsageError(overwritten[0])
    if verbose:
        walked = sum(1 for item in items if isinstance(item, Input) and not item.explicit)
        skipped = sum(1 for item in items if isinstance(item, Input)) - files_checked
        _note(
            f"{_count(len(items), 'input')} ({walked} found by walking folders, "
            f"{len(ignored or ())} files and folders left out by .gitignore/.ignore); "
            f"{_count(files_checked, 'task definition file')} checked, {skipped} skipped; "
            f"{time.perf_counter() - started:.2f} s"
        )
    if (fix or diff) and not quiet:
        _fix_summary(fixed_counts, fixed_files, unsafe_left, diff)
    if stdin_text is not None:
        _emit(stdin_text, None)
    report_to = sys.stderr.buffer if stdin_fix else sys.stdout.buffer
    found_any = bool(findings) or (stream is not None and any(stream.counts.values()))
    if files_checked == 0 and not found_any and not trouble and not quiet:
        folders = [path for path in paths if path != "-" and os.path.isdir(path)]
        if folders:  # a walk found nothing to check (named files that are not task definitions get findings)
            print(f"ecslint: warning: no task definition found in {' '.join(folders)}", file=sys.stderr)
    if stream is not None:
        written = [_emit_stream(other, path, files_checked) for other, path in extra_streams]
        if not _emit_stream(stream, output, files_checked, report_to) or not all(written):
            return 2
        if trouble:
            return 2
        if fail_on == "never":
            return 0
        return 1 if any(count for severity, count in stream.counts.items() if severity >= _FAIL_ON[fail_on]) else 0
    if diff:
        _emit("".join(diffs), None)
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
    context = ReportContext(policy.catalogue, __version__, color, files_checked, quiet)
    failed = False
    if statistics:
        from ecslint.reporters.statistics import render as render_statistics

        report = render_statistics(reported, context, output_format)
    else:
        report, reported, failed = _report(output_format, reported, context, debug)
    written = [
        _emit(get_reporter(name)(reported, ReportContext(policy.catalogue, __version__, False, files_checked)), path)
        for name, path in extra
    ]
    if not _emit(report, output, report_to) or not all(written):
        return 2
    if trouble or failed:
        return 2
    if fail_on == "never":
        return 0
    threshold = _FAIL_ON[fail_on]
    return 1 if any(finding.severity >= threshold for finding in reported) else 0


def _parse_reports(reports: Sequence[str], output: Path | None) -> list[tuple[str, Path]]:
    """``--report FORMAT=PATH`` values as (format, path); each path once, none the main report's."""
    from ecslint.reporters.formats import FORMATS

    parsed: list[tuple[str, Path]] = []
    seen = {output.absolute()} if output is not None else set()
    for value in reports:
        name, equals, path = value.partition("=")
        if not equals or not path or path == "-":
            raise UsageError(f"--report {value!r}: write it FORMAT=PATH, for example sarif=ecslint.sarif")
        if name not in FORMATS:
            raise UsageError(f"--report {value!r}: {name!r} is not one of {', '.join(FORMATS)}")
        if Path(path).absolute() in seen:
            raise UsageError(f"--report {value!r}: {path} is already written by another report")
        seen.add(Path(path).absolute())
        parsed.append((name, Path(path)))
    return parsed


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


def _rendered(stream: ReportStream, result: FileResult) -> list[tuple[Severity, bytes]]:
    """The file's findings rendered; a crash is an internal error of the file, which loses them."""
    try:
        return [(finding.severity, stream.render(finding)) for finding in result.findings]
    except Exception as error:
        result.internal_errors.append(internal_error(result.path, error))
        return []


def _worker_count(jobs: int, items: list[Input | InputError]) -> int:
    """``-j N``: N processes (1 = this one), but never more than files or cores; 0: every core,
    when there are many files."""
    if jobs > 0:
        return max(1, min(jobs, len(items), os.cpu_count() or 1))
    if len(items) < _PARALLEL_FROM:
        return 1
    return min(os.cpu_count() or 1, max(1, len(items) // _PARALLEL_FROM))


def _check_item(engine: Engine, item: Input | InputError) -> _Outcome:
    if isinstance(item, InputError):
        return item.reason
    try:
        raw, size = read(item.path, MAX_FILE_BYTES)  # never more than the limit, whatever the file holds
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
    return engine.check_bytes(item.display, raw, explicit=item.explicit, size=size), raw, None


def _work(position: int) -> _Outcome:
    """Check the item at ``position`` of the list the forked worker inherited (an int pickles
    in a fraction of the time a path takes); a crash is an internal error of that item."""
    try:
        return _work_on(position)
    except Exception as error:
        return failed_file(_WORKER_ITEMS[position].display, error), b"", []


def _work_on(position: int) -> _Outcome:
    assert _WORKER_ENGINE is not None
    outcome = _check_item(_WORKER_ENGINE, _WORKER_ITEMS[position])
    if isinstance(outcome, str):
        return outcome
    result, _, _ = outcome
    result.text = None  # only --fix needs the text, and it runs in one process
    if not _WORKER_KEEPS_DATA:
        result.data = None  # only a baseline needs the documents: do not send them back
    rendered = None
    if _WORKER_STREAM is not None and not result.uses:  # render here, in parallel, rather than in the parent
        rendered = _rendered(_WORKER_STREAM, result)  # (a file with usages waits for its second pass)
        result.findings = []
    return result, b"", rendered  # the parent needs the bytes only for --fix, which runs in one process


class _InOrder:
    """Delivers each file's result in the run's order, holding a file with usages (and every file
    after it) until its second pass has added the findings that needed another file."""

    def __init__(self, deliver: Callable[[FileResult, list[tuple[Severity, bytes]] | None], None]) -> None:
        self._deliver = deliver
        self._queue: deque[tuple[int, FileResult, list[tuple[Severity, bytes]] | None]] = deque()
        self._held: dict[int, FileResult] = {}

    def add(self, key: int, result: FileResult, rendered: list[tuple[Severity, bytes]] | None, *, hold: bool) -> None:
        if hold:
            self._held[key] = result
        if not self._queue and not hold:
            self._deliver(result, rendered)  # the usual case: nothing waits, nothing is kept
            return
        self._queue.append((key, result, rendered))
        self._flush()

    def second_pass(self, key: int, result: FileResult) -> None:
        first = self._held.pop(key, None)
        if first is not None:
            first.findings = sorted([*first.findings, *result.findings], key=Finding.sort_key)
            first.internal_errors = [*first.internal_errors, *result.internal_errors]
        self._flush()

    def finish(self) -> None:
        self._held.clear()
        self._flush()

    def _flush(self) -> None:
        while self._queue and self._queue[0][0] not in self._held:
            _, result, rendered = self._queue.popleft()
            self._deliver(result, rendered)


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
    engine.prepare()  # the check modules imported here once, not in each worker
    # forked workers inherit these
    _WORKER_ENGINE, _WORKER_KEEPS_DATA, _WORKER_STREAM, _WORKER_ITEMS = engine, keep_data, stream, items
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork")
    pending = list(range(len(items)))
    while pending:
        chunk = max(1, min(64, len(pending) // (workers * 8)))
        done = 0
        pool = ProcessPoolExecutor(min(workers, len(pending)), mp_context=context)
        try:
            for outcome in pool.map(_work, pending, chunksize=chunk):
                yield items[pending[done]], outcome
                done += 1
            pending = []
        except BrokenProcessPool:  # a worker died (killed, out of memory): nothing says which file did it
            suspect = pending[done]  # the first not yet reported: checked alone, so a killer costs only itself
            yield items[suspect], _alone(context, suspect)
            pending = pending[done + 1 :]
        finally:
            pool.shutdown(wait=not pending, cancel_futures=True)


def _alone(context: BaseContext, position: int) -> _Outcome:
    """The item at ``position`` checked in a process of its own; an internal error if that dies too."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(1, mp_context=context) as pool:
        try:
            return pool.submit(_work, position).result()
        except BrokenProcessPool:
            reason = "the process checking this file died (killed, or out of memory)"
            return failed_file(_WORKER_ITEMS[position].display, RuntimeError(reason)), b"", []


# -- never writing a report or baseline over a file being checked ----------------------------


class _Target:
    """A file this run writes (``--output``, ``--write-baseline``): its option, path and identity."""

    __slots__ = ("identity", "option", "path", "resolved")

    def __init__(self, option: str, path: Path) -> None:
        self.option = option
        self.path = path
        self.identity = _identity(str(path))
        self.resolved = os.path.realpath(path)

    def refusal(self, what: str) -> str:
        written = "the baseline" if self.option == "--write-baseline" else "the report"
        return f"{self.option} {self.path} is {what}: refusing to write {written} over it"


def _identity(path: str) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return (status.st_dev, status.st_ino)


def _targets(
    output: Path | None, write_baseline: Path | None, baseline: Path | None, reports: list[tuple[str, Path]]
) -> list[_Target]:
    """What this run writes: the baseline with --write-baseline (and then no report), else the
    report and the --report ones."""
    if write_baseline is not None:
        return [_Target("--write-baseline", write_baseline)]
    written = [("--output", output)] if output is not None else []
    written += [("--report", path) for _, path in reports]
    found = [_Target(option, path) for option, path in written]
    for report in found:
        if baseline is not None and (
            report.resolved == os.path.realpath(baseline)
            or (report.identity is not None and report.identity == _identity(str(baseline)))
        ):
            raise UsageError(report.refusal("the baseline this run reads"))
    return found


def _refuse_to_overwrite(targets: list[_Target], items: list[Input | InputError], stdin_name: str) -> None:
    """Exit 2 (before checking anything) when a file to write is a file named on the command
    line, or standard input's file (``< td.json``, or the one ``--stdin-filename`` names).
    Compared by identity (device and inode: hard and symbolic links too) and, for a file that
    does not exist yet, by resolved path.  Walked files are compared once they prove to be task
    definitions (``_overwritten``): a walk meets last run's report, which may be overwritten."""
    if not targets:
        return
    for item in items:
        if isinstance(item, InputError) or not item.explicit:
            continue
        if item.path is not None:
            for target in targets:
                if target.identity is not None and target.identity == _identity(item.path):
                    raise UsageError(target.refusal("one of the files being checked"))
            continue
        stdin_identity = _stdin_identity()
        named = stdin_name if stdin_name != "<stdin>" else None
        for target in targets:
            if target.identity is not None and target.identity == stdin_identity:
                raise UsageError(target.refusal("the file standard input reads"))
            if named is not None and (
                target.resolved == os.path.realpath(named)
                or (target.identity is not None and target.identity == _identity(named))
            ):
                raise UsageError(target.refusal("the file --stdin-filename names"))


def _stdin_identity() -> tuple[int, int] | None:
    import stat

    try:
        status = os.fstat(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return (status.st_dev, status.st_ino) if stat.S_ISREG(status.st_mode) else None


def _overwritten(targets: list[_Target], path: str) -> list[str]:
    identity = _identity(path)
    what = "one of the task definitions being checked"
    return [target.refusal(what) for target in targets if target.identity is not None and target.identity == identity]


def _fixed_bytes(result: FileResult, raw: bytes, unsafe: bool = False) -> tuple[bytes | None, dict[str, int]]:
    """The file's bytes with every safe fix (and unsafe one, with ``unsafe``) applied, or None when
    there is nothing to fix; and how many replacements each rule's fixes made.  ``UnsafeFixError``
    when the bytes would not parse as the file did or not hold what the fixes meant."""
    if result.text is None:
        return None, {}
    chosen = chosen_replacements(result.findings, unsafe=unsafe)
    if not chosen:
        return None, {}
    replacements = [replacement for _, replacement in chosen]
    text = apply(result.text, replacements)
    marks = 0
    while raw.startswith(codecs.BOM_UTF8, 3 * marks):  # decoded as spaces, one per mark
        marks += 1
    if marks and not any(r.start == 0 and r.end == marks and not r.text for r in replacements):
        text = "\ufeff" * marks + text[marks:]  # read as spaces, and not meant to go: keep them
    data = text.encode("utf-8")
    if data == raw:
        return None, {}
    counts: dict[str, int] = {}
    for rule_id, _ in chosen:
        counts[rule_id] = counts.get(rule_id, 0) + 1
    check_fixed(result.path, result.data, data, result.findings, [replacement for _, replacement in chosen])
    return data, counts


def _fix_summary(counts: dict[str, int], files: int, unsafe_left: int, diff: bool) -> None:
    """ "Fixed 87 problems in 1 file (ECS002: 86, ECS021: 1)." on stderr, as ruff says what it fixed."""
    total = sum(counts.values())
    if total:
        rules = ", ".join(f"{rule_id}: {count}" for rule_id, count in sorted(counts.items()))
        verb = "Would fix" if diff else "Fixed"
        line = f"{verb} {_count(total, 'problem')} in {_count(files, 'file')} ({rules})."
    else:
        line = "No fixes applied." if not diff else "No fixes to show."
    if unsafe_left:
        line += f" {unsafe_left} more with --unsafe-fixes."
    print(line, file=sys.stderr)


def _unified_diff(display: str, before: bytes, after: bytes) -> str:
    import difflib

    old = before.decode("utf-8", errors="replace").splitlines(keepends=True)
    new = after.decode("utf-8", errors="replace").splitlines(keepends=True)
    before_name, after_name = (display, display) if display.startswith("/") else (f"a/{display}", f"b/{display}")
    lines = difflib.unified_diff(old, new, fromfile=before_name, tofile=after_name)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _report(
    output_format: str, findings: list[Finding], context: ReportContext, debug: bool
) -> tuple[str, list[Finding], bool]:
    """The report, the findings in it, and whether a file's findings could not be rendered (then
    an internal error of that file: the report holds the other files' findings)."""
    render = get_reporter(output_format)
    try:
        return render(findings, context), findings, False
    except Exception:
        by_file: dict[str, list[Finding]] = {}
        for finding in findings:
            by_file.setdefault(finding.path, []).append(finding)
        kept: list[Finding] = []
        for path, group in by_file.items():
            try:
                render(group, context)
            except Exception as error:
                _report_internal_errors(failed_file(path, error), debug)
            else:
                kept.extend(group)
        return render(kept, context), kept, True


_RULE_FILE_ERRORS: set[str] = set()


def _report_internal_errors(result: FileResult, debug: bool) -> bool:
    for error in result.internal_errors:
        if error.in_rule_file:  # the rule's file is at fault: say so once, not for every file checked
            if error.message not in _RULE_FILE_ERRORS:
                _RULE_FILE_ERRORS.add(error.message)
                _error(error.message)
            continue
        where = f" in rule {error.rule_id}" if error.rule_id else ""
        _error(f"{error.path}: internal error{where}: {error.message}")
        if debug:
            print(error.traceback, file=sys.stderr)
    return bool(result.internal_errors)


def _emit_stream(
    stream: ReportStream, output: Path | None, files_checked: int, default: BinaryIO | None = None
) -> bool:
    if output is None:
        out = default or sys.stdout.buffer
        try:
            stream.finish(out, files_checked)
            out.flush()
        except BrokenPipeError:  # the reader has all it wanted (`| head`): the exit code still tells
            stream.close()
            from ecslint.cli.pipe import stdout_closed

            stdout_closed()
        return True
    try:
        with output.open("wb") as handle:
            stream.finish(handle, files_checked)
    except OSError as error:
        stream.close()
        _error(f"{output}: cannot write the report: {error.strerror or error}")
        return False
    return True


def _emit(report: str | bytes, output: Path | None, default: BinaryIO | None = None) -> bool:
    data = report.encode("utf-8") if isinstance(report, str) else report
    if output is None:
        out = default or sys.stdout.buffer
        try:
            out.write(data)
            out.flush()
        except BrokenPipeError:
            from ecslint.cli.pipe import stdout_closed

            stdout_closed()
        return True
    try:
        output.write_bytes(data)
    except OSError as error:
        _error(f"{output}: cannot write the report: {error.strerror or error}")
        return False
    return True


def _error(message: str) -> None:
    from ecslint.reporters.text import printable

    print(f"ecslint: error: {printable(message)}", file=sys.stderr)


def _note(message: str) -> None:
    print(f"ecslint: {message}", file=sys.stderr)


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
