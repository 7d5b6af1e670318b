"""The benchmark: ecslint side by side with the floor and with cfn-lint, in one run.

    python bench/run.py [--quick] [--write docs/benchmarks.md]

Workloads (generated from the corpus's json/ folder, $ECSLINT_CORPUS or ../shared/corpus/real, and
examples/): one file (cold start), 100 files and 10,000 files.  For each, three commands run on the same files:

* floor:    a Python process that only reads the files and ``json.load``s them;
* ecslint:  the installed console script (``ecslint check``), with ``-j`` where it applies;
* cfn-lint: cfn-lint on the same task definitions wrapped as CloudFormation templates
            (optional: ``pip install cfn-lint``; skipped when it is not installed).

Each command runs ``--repeat`` times; the table shows the median wall time, the CPU time
(user + system) and the peak resident memory of that run, and ratios to the floor and to
cfn-lint.  Nothing here is a test: CI never times anything.

Hostile inputs (issue 16): one file each, at ``--hostile-size`` and at twice that, that once
took quadratic time or worse (``"{{"`` x 16,000 as an image, a cpu of 16,000 digits and an
``x``, 16,000 suppression comments, a dependsOn chain, ``--exclude`` with 16 stars...).  The
table shows both times and their ratio: about 2 where the work is linear, 4 where quadratic.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("ECSLINT_CORPUS") or REPO.parent / "shared" / "corpus" / "real") / "json"
FLOOR = "import json, sys\nfor p in sys.argv[1:]:\n    with open(p, 'rb') as f:\n        json.load(f)\n"


@dataclass(frozen=True)
class Measure:
    wall: float
    cpu: float
    peak_mib: float
    status: int


def run(command: list[str]) -> Measure:
    """Run ``command`` once; wall time, its CPU time and peak memory from wait4's rusage."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)


def median(command: list[str], repeat: int) -> Measure:
    runs = [run(command) for _ in range(repeat)]
    middle = sorted(runs, key=lambda m: m.wall)[len(runs) // 2]
    return Measure(statistics.median(m.wall for m in runs), middle.cpu, max(m.peak_mib for m in runs), middle.status)


def task_definitions() -> list[dict[str, object]]:
    """Task definitions that parse as JSON, from the corpus and the bundled examples."""
    found: list[dict[str, object]] = []
    for path in sorted([*CORPUS.glob("*.json"), *(REPO / "examples").glob("*.json")]):
        try:
            data = json.loads(path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("taskDefinition"), dict):
            data = data["taskDefinition"]
        if isinstance(data, dict) and "containerDefinitions" in data:
            found.append(data)
    return found


def pascal(value: object, free_form: bool = False) -> object:
    """An API-shaped value in CloudFormation's PascalCase (free-form map keys kept)."""
    from ecslint.readers.cloudformation import _FREE_FORM_MAPS, _RENAMED

    inverse = {api: cfn for cfn, api in _RENAMED.items()}
    if isinstance(value, list):
        return [pascal(item) for item in value]
    if not isinstance(value, dict):
        return value
    converted: dict[str, object] = {}
    for key, item in value.items():
        name = key if free_form else inverse.get(key, key[:1].upper() + key[1:])
        converted[name] = pascal(item, free_form=name in _FREE_FORM_MAPS)
    return converted


def write_workload(folder: Path, count: int, sources: list[dict[str, object]]) -> tuple[list[str], list[str]]:
    """``count`` task definitions as JSON files and the same as CloudFormation templates."""
    plain, templates = folder / "td", folder / "cfn"
    plain.mkdir(parents=True)
    templates.mkdir()
    from ecslint.core.taskdef import READ_ONLY_FIELDS as read_only

    for number in range(count):
        document = sources[number % len(sources)]
        (plain / f"td-{number:05}.json").write_text(json.dumps(document, indent=2))
        properties = {k: v for k, v in document.items() if k not in read_only}
        template = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {"TaskDefinition": {"Type": "AWS::ECS::TaskDefinition", "Properties": pascal(properties)}},
        }
        (templates / f"td-{number:05}.json").write_text(json.dumps(template, indent=2))
    return sorted(map(str, plain.iterdir())), sorted(map(str, templates.iterdir()))


def _task(**container: object) -> dict[str, object]:
    return {"family": "bench", "containerDefinitions": [{"name": "app", "image": "nginx:1.27", **container}]}


# --exclude with 16 stars: a glob compiled to a backtracking regex took seconds per walked name
STARS_16 = "*a" * 16 + "b.json"


def hostile_workloads(size: int) -> dict[str, tuple[str, str, list[str]]]:
    """Issue 16's slow inputs at ``size``: label -> (file name, text, extra ecslint arguments)."""
    half = max(1, size // 2)
    yaml_comments = "family: bench\ncontainerDefinitions:\n" + "  # ecslint: ignore[ECS210]\n" * size
    yaml_comments += "  - name: app\n    image: nginx:latest\n"
    chain = [
        {"name": f"c{i}", "image": "nginx:1.27", "dependsOn": [{"containerName": f"c{i + 1}", "condition": "START"}]}
        for i in range(half - 1)
    ] + [{"name": f"c{half - 1}", "image": "nginx:1.27"}]
    quotes = "{\u201cfamily\u201d: \u201cbench\u201d, " + ", ".join(f"\u201ck{i}\u201d: 1" for i in range(half)) + "}"
    secrets = [
        {"name": f"S{i}", "valueFrom": f"arn:aws:ssm:{('us-east-1', 'eu-west-1')[i % 2]}:210987654321:parameter/p{i}"}
        for i in range(half)
    ]
    workloads: dict[str, tuple[str, object, list[str]]] = {
        'image "{{" x n': ("td.json", _task(image="{{" * size), []),
        'image "${" x n': ("td.json", _task(image="${" * size), []),
        'image "<a>" x n/2': ("td.json", _task(image="<a>" * half), []),
        'cpu "9" x n + "x"': ("td.json", {**_task(), "cpu": "9" * size + "x"}, []),
        'memory "1" x n + "GBx"': ("td.json", {**_task(), "memory": "1" * size + "GBx"}, []),
        "n own-line suppression comments (YAML)": ("td.yaml", yaml_comments, []),
        "n unknown keys in a container": ("td.json", _task(**{f"unknownKey{i}": 1 for i in range(size)}), []),
        "dependsOn chain of n/2 containers": ("td.json", {"family": "bench", "containerDefinitions": chain}, []),
        "n typographic quotes": ("td.json", quotes, []),
        "n/2 secrets in two Regions": ("td.json", _task(secrets=secrets), []),
        "--exclude with 16 stars, a name of n/256 chars": (
            "a" * max(1, size // 256) + ".json",
            _task(),
            ["--exclude", STARS_16],
        ),
    }
    return {
        label: (name, text if isinstance(text, str) else json.dumps(text), extra)
        for label, (name, text, extra) in workloads.items()
    }


def run_hostile(ecslint: str, size: int, repeat: int, folder: Path) -> str:
    """Each hostile input at ``size`` and ``2 * size``: median wall times and their ratio, as Markdown."""
    lines = [
        f"| hostile input (n = {size:,}) | n | 2n | ratio |",
        "|---|---:|---:|---:|",
    ]
    times: dict[str, list[float]] = {}
    for scale in (size, 2 * size):
        for number, (label, (name, text, extra)) in enumerate(hostile_workloads(scale).items()):
            place = folder / f"hostile-{scale}-{number}"
            place.mkdir(parents=True)
            (place / name).write_text(text, "utf-8")
            target = str(place) if extra else str(place / name)  # --exclude applies to walked files
            command = [ecslint, "check", "--no-config", "--format", "json", "--output", os.devnull, *extra, target]
            measure = median(command, repeat)
            times.setdefault(label, []).append(measure.wall)
            print(f"{label:>48}  n={scale:<7} {measure.wall * 1000:9.1f} ms  exit {measure.status}", flush=True)
    for label, (small, large) in times.items():
        lines.append(f"| {label} | {small * 1000:,.0f} ms | {large * 1000:,.0f} ms | {large / small:.1f} |")
    return "\n".join(lines) + "\n"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores{memory}; {system}; Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ecslint", default=str(Path(sys.executable).parent / "ecslint"))
    parser.add_argument("--cfn-lint", default=shutil.which("cfn-lint") or "")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="skip the 10,000-file workload")
    parser.add_argument("--jobs", default=str(os.cpu_count() or 1), help="-j for the many-file workloads")
    parser.add_argument("--write", type=Path, help="write the table as Markdown to this file")
    parser.add_argument("--cfn-lint-all", action="store_true", help="run cfn-lint on the 10,000 files too")
    parser.add_argument("--hostile-size", type=int, default=16_000, help="n for the hostile inputs (0: skip them)")
    args = parser.parse_args()

    sources = task_definitions()
    clean = json.loads((REPO / "examples" / "fargate-web.json").read_text("utf-8"))
    workloads: list[tuple[str, int, list[dict[str, object]]]] = [
        ("1 clean file", 1, [clean]),
        ("1 file", 1, sources),
        ("100 files", 100, sources),
    ]
    if not args.quick:
        workloads.append(("10,000 files", 10_000, sources))
    rows: list[tuple[str, str, Measure, int]] = []
    with tempfile.TemporaryDirectory() as directory:
        for label, count, documents in workloads:
            plain, templates = write_workload(Path(directory) / label.replace(" ", "-"), count, documents)
            repeat = args.repeat if count <= 100 else max(1, args.repeat // 2)
            commands = {
                "floor (json.load)": [sys.executable, "-c", FLOOR, *plain],
                "ecslint": [
                    args.ecslint,
                    "check",
                    "--format",
                    "json",
                    *(["-j", args.jobs] if count > 1 else []),
                    "--output",
                    os.devnull,
                    *plain,
                ],
            }
            if count > 100:  # the same files as a folder to walk: the command line itself holds no 10,000 paths
                folder = str(Path(plain[0]).parent)
                commands["ecslint (a folder)"] = [args.ecslint, "check", "--format", "json", "-j", args.jobs]
                commands["ecslint (a folder)"] += ["--output", os.devnull, folder]
            if args.cfn_lint and (count <= 100 or args.cfn_lint_all):  # 10,000 templates take minutes
                commands["cfn-lint"] = [args.cfn_lint, "--format", "json", *templates]
            for name, command in commands.items():
                measure = median(command, repeat)
                rows.append((label, name, measure, count))
                print(f"{rows[-1][0]:>12}  {name:<18} {measure.wall * 1000:9.1f} ms  exit {measure.status}", flush=True)
            if label == "100 files":
                python = str(Path(args.ecslint).parent / "python")
                warm = in_process(python, REPO / "examples" / "fargate-web.json", plain, Path(directory))
        hostile = ""
        if args.hostile_size:
            hostile = run_hostile(args.ecslint, args.hostile_size, args.repeat, Path(directory))
    table = render(rows, len(sources), args.repeat, args.jobs) + "\nAfter start-up, in one process:\n\n"
    table += render_in_process(warm)
    if hostile:
        table += "\nHostile inputs, each at n and 2n (a ratio near 2 is linear, near 4 quadratic):\n\n" + hostile
    print(table)
    if args.write:
        args.write.write_text(table, "utf-8")
    return 0


# Per-file cost after start-up, in one process: ecslint's engine against json.loads of the same bytes.
IN_PROCESS = """
import json, sys, time
from ecslint.config.settings import Config
from ecslint.engine.pipeline import Engine
from ecslint.catalogue.rulesets import build
from ecslint.config.selection import configure

from ecslint.checks.identifiers import PARSE_CACHES

policy = configure(build().catalogue, Config())
engine = Engine(policy.catalogue, policy.enabled, ignored_for=policy.ignored_for)


def check(raw):
    for cached in PARSE_CACHES:  # each file starts cold: no answer carried over from the last one
        cached.cache_clear()
    engine.check_bytes("td.json", raw)


result = {}
for label, path in (("clean", sys.argv[1]), ("corpus", sys.argv[2])):
    files = [open(line.strip(), "rb").read() for line in open(path)] if label == "corpus" else [open(path, "rb").read()]
    rounds = max(1, 3000 // len(files))
    for raw in files:
        engine.check_bytes("td.json", raw)
    timings = {}
    for name, work in (("ecslint", check), ("json.loads", json.loads)):
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(rounds):
                for raw in files:
                    work(raw)
            best = min(best, (time.perf_counter() - start) / (rounds * len(files)))
        timings[name] = best
    result[label] = timings
print(json.dumps(result))
"""


def in_process(python: str, clean: Path, corpus: list[str], folder: Path) -> dict[str, dict[str, float]]:
    """Microseconds per file in one warm process: ecslint's engine and json.loads, best of 5."""
    listing = folder / "in-process.txt"
    listing.write_text("\n".join(corpus), "utf-8")
    output = subprocess.run(
        [python, "-c", IN_PROCESS, str(clean), str(listing)], capture_output=True, text=True, check=True
    ).stdout
    timings: dict[str, dict[str, float]] = json.loads(output)
    return timings


def render_in_process(timings: dict[str, dict[str, float]]) -> str:
    lines = [
        "| file | ecslint | json.loads | ratio |",
        "|---|---:|---:|---:|",
    ]
    names = {"clean": "examples/fargate-web.json (no finding)", "corpus": "the benchmark's files (average)"}
    for label, values in timings.items():
        ours, floor = values["ecslint"], values["json.loads"]
        lines.append(f"| {names[label]} | {ours * 1e6:,.0f} µs | {floor * 1e6:,.1f} µs | {ours / floor:.0f}x |")
    return "\n".join(lines) + "\n"


def render(rows: list[tuple[str, str, Measure, int]], sources: int, repeat: int, jobs: str) -> str:
    lines = [
        "| workload | command | wall | CPU | peak memory | per file | wall vs floor | wall vs cfn-lint |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    by_workload: dict[str, dict[str, Measure]] = {}
    for workload, name, measure, _ in rows:
        by_workload.setdefault(workload, {})[name] = measure
    for workload, name, measure, count in rows:
        floor = by_workload[workload].get("floor (json.load)")
        cfn = by_workload[workload].get("cfn-lint")
        versus_floor = f"{measure.wall / floor.wall:.1f}x" if floor else ""
        versus_cfn = f"{cfn.wall / measure.wall:.1f}x faster" if cfn and name == "ecslint" else ""
        lines.append(
            f"| {workload} | {name} | {measure.wall * 1000:,.0f} ms | {measure.cpu * 1000:,.0f} ms "
            f"| {measure.peak_mib:,.0f} MiB | {measure.wall / count * 1000:.2f} ms | {versus_floor} | {versus_cfn} |"
        )
    header = (
        f"Machine: {machine()}.\n\nMedian of {repeat} runs ({max(1, repeat // 2)} for 10,000 files); "
        f"ecslint runs with -j {jobs} on the many-file workloads; the files are {sources} real task "
        "definitions from the corpus and the examples, repeated.\n\n"
    )
    return header + "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
