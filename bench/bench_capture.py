"""How long `netjournal log` and `netjournal search` take on the benchmark journal, beside jrnl.

    python bench/bench_capture.py [--journal /tmp/bench.json] [--runs 5] [--jrnl /tmp/jrnl-venv/bin/jrnl]
                                  [--jrnl-sizes 10000] [--jrnl-once 100000]

Each figure is wall-clock time from process start to exit (a fresh process per run, as a
person runs it), the median of ``--runs`` runs. netjournal works on a copy of the 100,000-
interaction journal (made by bench/generate.py if missing); the first `log` of a copy is run
once before timing, since it also takes the day's backup. jrnl (installed apart, never a
dependency of netjournal) gets a plain-text journal of the same entries; ``--jrnl-once``
sizes are measured with a single run each (jrnl needs minutes per add there). Prints the
table and writes bench/results/capture.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import capture_index  # noqa: E402
from bench.bytecode import compile_package  # noqa: E402
from bench.generate import generate_records, write_journal  # noqa: E402

NETJOURNAL = Path(sys.executable).with_name("netjournal")
TARGETS = {"log": 0.5, "search": 0.8}


def timed(cmd: Sequence[str], env: dict[str, str] | None = None, timeout: float | None = None) -> float:
    """Seconds from start to exit; ``inf`` if it ran past ``timeout`` (then it is killed)."""
    start = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return float("inf")
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return elapsed


def median_of(cmd: Sequence[str], runs: int, env: dict[str, str] | None = None, timeout: float | None = None) -> list[float]:
    return [timed(cmd, env, timeout) for _ in range(runs)]


# --- jrnl -------------------------------------------------------------------------------------------


def write_jrnl(folder: Path, entries: int) -> dict[str, str]:
    """A jrnl config and plain-text journal of ``entries`` entries; returns the env to run jrnl in."""
    records = generate_records(contacts=2000, interactions=entries, favours=0)
    names = {c["id"]: c["name"] for c in records["contacts"]}
    rows = sorted(records["interactions"], key=lambda i: i["date"])
    journal = folder / "journal.txt"
    with journal.open("w", encoding="utf-8") as out:
        for i in rows:
            who = " ".join("@" + names[c].split()[0].lower() for c in i["contact_ids"])
            tags = " ".join("#" + t for t in i["tags"])
            out.write(f"[{i['date']} 09:00:00 AM] {i['kind'].capitalize()} with {who}.\n{i['text']} {tags}\n\n")
    config = folder / "config" / "jrnl"
    config.mkdir(parents=True)
    (config / "jrnl.yaml").write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals:\n  default:\n    journal: {journal}\n"
        "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%F %r'\nversion: v4.6\n",
        encoding="utf-8",
    )
    return {**os.environ, "XDG_CONFIG_HOME": str(folder / "config"), "XDG_DATA_HOME": str(folder / "data"),
            "HOME": str(folder)}


def bench_jrnl(jrnl: str, entries: int, runs: int, timeout: float | None = None) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="jrnl-bench-") as tmp:
        env = write_jrnl(Path(tmp), entries)
        add = [jrnl, "yesterday:", "lunch with @ana #bench +got advice on pricing"]
        search = [jrnl, "-contains", "pricing"]
        return {"log": median_of(add, runs, env, timeout), "search": median_of(search, runs, env, timeout)}


# --- netjournal ---------------------------------------------------------------------------------------


def bench_netjournal(source: Path, runs: int) -> dict[str, list[float]]:
    data = orjson.loads(source.read_bytes())
    name = next(iter(data["contacts"].values()))["name"]
    with tempfile.TemporaryDirectory(prefix="netjournal-bench-") as tmp:
        copy = Path(tmp) / "journal.json"
        shutil.copyfile(source, copy)
        base = [str(NETJOURNAL), "--journal", str(copy)]
        log = [*base, "log", f'yesterday: lunch with @"{name}" #bench 45m +got advice on pricing']
        timed(log)  # the first open of the day also writes the daily backup
        out = {"log": median_of(log, runs)}
        out["search"] = median_of([*base, "search", "pricing"], runs)
        out["search --limit 0 --json"] = median_of([*base, "search", "pricing", "--limit", "0", "--json"], runs)
        out["show"] = median_of([*base, "show", name], runs)
        out["ledger"] = median_of([*base, "ledger", "--json"], runs)
        out["contact list"] = median_of([*base, "contact", "list"], runs)  # all 2,000 people
        return out


def fmt(values: list[float], timeout: float | None = None) -> str:
    m = statistics.median(values)
    return f"> {timeout:.0f} s (stopped)" if m == float("inf") else f"{m:.3f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--journal", type=Path, default=Path("/tmp/bench.json"))
    ap.add_argument("--runs", type=int, default=5)
    default_jrnl = "/tmp/jrnl-venv/bin/jrnl" if Path("/tmp/jrnl-venv/bin/jrnl").exists() else shutil.which("jrnl")
    ap.add_argument("--jrnl", default=default_jrnl, help="the jrnl executable (skipped if absent)")
    ap.add_argument("--jrnl-sizes", type=int, nargs="*", default=[10_000], help="jrnl journal sizes, --runs runs each")
    ap.add_argument("--jrnl-once", type=int, nargs="*", default=[], help="jrnl sizes measured with one run")
    ap.add_argument("--jrnl-timeout", type=float, default=900, help="stop a --jrnl-once command after this many seconds")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "capture.md")
    ap.add_argument("--package", type=Path, help="measure the netjournal package in this folder (another checkout: before/after)")
    ap.add_argument("--index-only", action="store_true", help="only the in-process keystrokes of the capture line")
    a = ap.parse_args()
    if a.package:  # for the commands (PYTHONPATH comes before the installed package) and in-process
        os.environ["PYTHONPATH"] = str(a.package.resolve())
        sys.path.insert(0, str(a.package.resolve()))

    if not a.journal.exists():
        write_journal(a.journal, generate_records())
    latin = list(orjson.loads(a.journal.read_bytes())["contacts"].values())
    index = {"benchmark journal's (Latin)": capture_index.keystrokes(latin),
             "nine scripts": capture_index.keystrokes(capture_index.mixed_contacts())}
    if a.index_only:
        print("\n".join(capture_index.table(index)))
        return
    compile_package()  # as installed (see bench/bytecode.py)
    nj = bench_netjournal(a.journal, a.runs)
    jr: dict[int, tuple[int, dict[str, list[float]]]] = {}
    if a.jrnl:
        for size in a.jrnl_sizes:
            jr[size] = (a.runs, bench_jrnl(a.jrnl, size, a.runs))
        for size in a.jrnl_once:
            jr[size] = (1, bench_jrnl(a.jrnl, size, 1, a.jrnl_timeout))

    lines = [
        "# Capture benchmark",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; `python bench/bench_capture.py` (median of {a.runs} fresh processes, "
        "wall clock from start to exit).",
        "",
        "netjournal: a copy of the benchmark journal (2,000 contacts, 100,000 interactions, 20,000 favours).",
        "",
        "| command | median | min | max | target |",
        "|---|---|---|---|---|",
    ]
    for label, values in nj.items():
        target = TARGETS.get(label)
        verdict = f"≤ {target} s: {'met' if statistics.median(values) <= target else 'NOT met'}" if target else ""
        lines.append(f"| netjournal {label} | {fmt(values)} | {min(values):.3f} s | {max(values):.3f} s | {verdict} |")
    lines += [
        "",
        "The capture line in the app (in-process, bench/capture_index.py, CPU time): the people indexed once, then",
        "each prefix of three lines parsed as it is typed, 3 rounds:",
        "",
        *capture_index.table(index),
    ]
    if jr:
        lines += [
            "",
            "jrnl (same entries as plain text; `jrnl yesterday: ...` to add, `jrnl -contains pricing` to search):",
            "",
            "| jrnl entries | runs | add | search | add vs netjournal log | search vs netjournal search |",
            "|---|---|---|---|---|---|",
        ]
        for size, (runs, res) in sorted(jr.items()):
            ratio_add = statistics.median(res["log"]) / statistics.median(nj["log"])
            ratio_search = statistics.median(res["search"]) / statistics.median(nj["search --limit 0 --json"])
            more = "at least " if ratio_add == float("inf") else ""
            if more:
                ratio_add = a.jrnl_timeout / statistics.median(nj["log"])
            lines.append(
                f"| {size:,} | {runs} | {fmt(res['log'], a.jrnl_timeout)} | {fmt(res['search'], a.jrnl_timeout)} | "
                f"jrnl takes {more}{ratio_add:.0f}x as long | {ratio_search:.1f}x (vs all matches as JSON) |"
            )
    else:
        lines += ["", "jrnl was not found: pass --jrnl PATH (install it in a separate venv)."]
    lines += [
        "",
        f"Written {date.today()} by bench/bench_capture.py; netjournal's modules compiled to bytecode first, as an "
        f"installed command has them (bench/bytecode.py); load average {os.getloadavg()[0]:.1f} at the end.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
