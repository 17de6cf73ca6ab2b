"""The store's benchmark: netjournal's Journal beside TinyDB's stock JSONStorage, same data.

    .venv/bin/python bench/bench_store.py            # 2,000 / 100,000 / 20,000 (issue 2's size)
    .venv/bin/python bench/bench_store.py --quick    # 200 / 10,000 / 2,000: a sanity run

Each figure is the median of ``--runs`` (>= 5) runs, each measured in a fresh subprocess
(timed inside it, after imports): open, one durable add, one update, a case-insensitive
substring search over interaction text, and the peak memory (ru_maxrss) of a session that
opens, lists, searches, adds and closes. "stock" is a plain ``TinyDB(path)`` file holding the
same records under integer doc_ids. The seeded journals are generated once and cached in
``--cache`` (default: /tmp/netjournal-bench, outside the repository). Results go to
``bench/results/store.md`` (or ``--results``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # run as a script: generate.py and the checkout's netjournal

NEEDLE = "Chess PODCAST"  # a phrase: matches about 1% of the interactions, case-insensitively
FULL = (2000, 100_000, 20_000)
QUICK = (200, 10_000, 2_000)


# ------------------------------------------------------------------ data
def make_journals(cache: Path, size: tuple[int, int, int]) -> tuple[Path, Path]:
    """Ours (a netjournal snapshot) and stock (a TinyDB file, int doc_ids) of the same records."""
    from generate import generate_records, write_journal

    tag = "-".join(map(str, size))
    ours, stock = cache / f"ours-{tag}.json", cache / f"stock-{tag}.json"
    if ours.exists() and stock.exists():
        return ours, stock
    import orjson

    cache.mkdir(parents=True, exist_ok=True)
    records = generate_records(*size)
    write_journal(ours, records)
    tables = {t: {str(n): r for n, r in enumerate(rows, 1)} for t, rows in records.items()}
    stock.write_bytes(orjson.dumps(tables))
    return ours, stock


def fresh_copy(src: Path, work: Path) -> Path:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    dst = work / "journal.json"
    shutil.copyfile(src, dst)
    return dst


# ------------------------------------------------------------------ workers (one per subprocess)
def _new_interaction(cid: str) -> Any:
    from netjournal.domain.model import Interaction

    return Interaction(date="2026-10-30", contact_ids=[cid], kind="call", text="Benchmark call about chess podcasts")


def work_ours(op: str, path: Path) -> float:
    from netjournal.store import Journal

    if op == "parse-floor":  # reading + orjson.loads alone, with the collector paused: the floor for open
        import gc

        import orjson

        t = time.perf_counter()
        gc.disable()
        orjson.loads(path.read_bytes())
        return time.perf_counter() - t
    if op in ("open-read", "open-write"):
        t = time.perf_counter()
        j = Journal.open(path, readonly=op == "open-read")
        dt = time.perf_counter() - t
        j.close()
        return dt
    if op in ("search", "search-again", "search-warm", "first-list"):
        j = Journal.open(path, readonly=True)
        if op == "first-list":
            t = time.perf_counter()
            j.interaction_ids()
            return time.perf_counter() - t
        if op in ("search-again", "search-warm"):
            j.search(NEEDLE)
        if op == "search-warm":
            j.search(NEEDLE)
        t = time.perf_counter()
        found = j.search(NEEDLE)
        dt = time.perf_counter() - t
        assert found, "the search found nothing"
        return dt
    j = Journal.open(path)
    cid = next(iter(j.raw_documents("contacts")))["id"]
    try:
        if op == "add":
            rec = _new_interaction(cid)
            t = time.perf_counter()
            j.add_interaction(rec)
            return time.perf_counter() - t
        if op == "update":
            iid = next(iter(j.raw_documents("interactions")))["id"]
            rec = j.interaction(iid)
            rec.text = rec.text + " (edited)"
            t = time.perf_counter()
            j.update_interaction(rec)
            return time.perf_counter() - t
        if op == "memory":
            j.interaction_ids()
            j.search(NEEDLE)
            j.add_interaction(_new_interaction(cid))
            return 0.0
    finally:
        j.close()
    raise SystemExit(f"unknown op {op}")


def work_stock(op: str, path: Path) -> float:
    from tinydb import Query, TinyDB

    needle = NEEDLE.lower()
    if op in ("open-read", "open-write"):
        # TinyDB reads lazily: "open" is the constructor plus the first read of the data.
        t = time.perf_counter()
        db = TinyDB(path, access_mode="r" if op == "open-read" else "r+")
        len(db.table("interactions"))
        dt = time.perf_counter() - t
        db.close()
        return dt
    db = TinyDB(path)
    table = db.table("interactions")
    try:
        if op in ("search", "search-again", "search-warm"):
            len(table)  # opened and read once, like ours
            if op in ("search-again", "search-warm"):
                # The stock query cache would answer a repeated query from memory: vary it.
                table.search(Query().text.test(lambda s: needle + " " in s.lower()))
            t = time.perf_counter()
            found = table.search(Query().text.test(lambda s: needle in s.lower()))
            dt = time.perf_counter() - t
            assert found
            return dt
        if op == "first-list":
            len(table)
            t = time.perf_counter()
            sorted(table.all(), key=lambda d: (d["date"], d["id"]), reverse=True)
            return time.perf_counter() - t
        cid = db.table("contacts").get(doc_id=1)["id"]  # type: ignore[index]
        if op == "add":
            doc = _new_interaction(cid).stamped().to_dict()
            t = time.perf_counter()
            table.insert(doc)
            return time.perf_counter() - t
        if op == "update":
            t = time.perf_counter()
            table.update({"text": "edited"}, doc_ids=[1])
            return time.perf_counter() - t
        if op == "memory":
            len(table)
            table.search(Query().text.test(lambda s: needle in s.lower()))
            table.insert(_new_interaction(cid).stamped().to_dict())
            return 0.0
    finally:
        db.close()
    raise SystemExit(f"unknown op {op}")


def worker(kind: str, op: str, path: Path) -> None:
    dt = (work_ours if kind == "ours" else work_stock)(op, path)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"s": dt, "rss_mb": rss}))


# ------------------------------------------------------------------ driver
OPS: list[tuple[str, str, str]] = [
    # (op, label, target)
    ("open-read", "open, read-only", "<= 350 ms"),
    ("open-write", "open for writing (lock, backup of the day already taken)", "<= 350 ms"),
    ("first-list", "first listing, newest first (parses the interactions, builds the indexes)", ""),
    ("add", "one durable add (fsynced)", "<= 20 ms"),
    ("update", "one durable update (fsynced)", "<= 20 ms"),
    ("search", f"search {NEEDLE!r}, first after open (parses the interactions, scans)", ""),
    ("search-again", f"search {NEEDLE!r}, second (builds the text index)", "<= 150 ms"),
    ("search-warm", f"search {NEEDLE!r}, third and later", "<= 150 ms"),
    ("memory", "peak memory: open, list, search, add, close", "<= 400 MB"),
]


def run_op(kind: str, op: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", kind, op, str(path)],
        check=True, capture_output=True, text=True, cwd=HERE.parent,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def fmt(value: float, op: str) -> str:
    if op == "memory":
        return f"{value:,.0f} MB"
    ms = value * 1000
    return f"{ms:,.1f} ms" if ms < 100 else f"{ms:,.0f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a small journal (200 / 10,000 / 2,000) for a sanity run")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/netjournal-bench"))
    ap.add_argument("--results", type=Path, default=None, help="default: bench/results/store.md (not with --quick)")
    ap.add_argument("--worker", nargs=3, metavar=("KIND", "OP", "PATH"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        worker(a.worker[0], a.worker[1], Path(a.worker[2]))
        return
    if a.runs < 5:
        ap.error("--runs must be at least 5 (medians of at least 5 runs)")
    size = QUICK if a.quick else FULL
    ours_src, stock_src = make_journals(a.cache, size)
    print(f"journal: {size[0]:,} contacts, {size[1]:,} interactions, {size[2]:,} favours; "
          f"ours {ours_src.stat().st_size / 1e6:.1f} MB, stock {stock_src.stat().st_size / 1e6:.1f} MB; "
          f"median of {a.runs} runs", flush=True)
    figures: dict[tuple[str, str], list[float]] = {}
    load_before = os.getloadavg()[0]
    work = a.cache / "work"
    for run in range(a.runs):
        for kind, src in (("ours", ours_src), ("stock", stock_src)):
            path = fresh_copy(src, work / kind)
            if kind == "ours":
                run_op("ours", "open-write", path)  # takes today's backup, so later opens measure the usual case
                figures.setdefault(("ours", "parse-floor"), []).append(run_op("ours", "parse-floor", path)["s"])
            for op, _, _ in OPS:
                r = run_op(kind, op, path)
                figures.setdefault((kind, op), []).append(r["rss_mb"] if op == "memory" else r["s"])
        print(f"  run {run + 1}/{a.runs} done", flush=True)
    shutil.rmtree(work, ignore_errors=True)

    rows = []
    for op, label, target in OPS:
        ours = statistics.median(figures[("ours", op)])
        stock = statistics.median(figures[("stock", op)])
        ratio = stock / ours if ours else float("inf")
        rows.append((label, fmt(ours, op), fmt(stock, op), f"{ratio:,.1f}x", target))
    floor = statistics.median(figures[("ours", "parse-floor")])
    load = f"load average {load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after (2 cores: other work skews absolute figures; ratios are from the same run)"
    head = ("measure", "netjournal", "stock TinyDB", "stock / ours", "target")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(5)]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    table = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]
    print("\n".join(table))
    print(f"floor for open: reading the file + orjson.loads alone = {fmt(floor, 'open')}; {load}")
    if a.quick and a.results is None:
        return
    results = a.results or HERE / "results" / "store.md"
    results.parent.mkdir(parents=True, exist_ok=True)
    cmd = "python bench/bench_store.py" + (" --quick" if a.quick else "") + (f" --runs {a.runs}" if a.runs != 5 else "")
    results.write_text(
        f"# Store benchmark\n\n"
        f"`{cmd}` on {date.today().isoformat()}: Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{platform.machine()}.\n\n"
        f"Journal: {size[0]:,} contacts, {size[1]:,} interactions, {size[2]:,} favours "
        f"({ours_src.stat().st_size / 1e6:.1f} MB). Median of {a.runs} runs, each figure measured in a fresh "
        f"process. Stock: a plain `TinyDB(path)` (JSONStorage) file with the same records under integer doc_ids; "
        f"its \"open\" is the constructor plus the first read (TinyDB reads lazily and re-reads the file at "
        f"every query), its search a `Query().text.test(...)` with `str.lower()`.\n\n"
        + "\n".join(table)
        + f"\n\nFloor for open on this machine, same run: reading the file and `orjson.loads` alone "
        f"(collector paused) = {fmt(floor, 'open')}. Machine: {load}.\n"
    )
    print(f"wrote {results}")


if __name__ == "__main__":
    main()
