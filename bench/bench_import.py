"""Peak memory and wall time of `netjournal import` on big files (a vCard and a JSON export).

    python bench/bench_import.py [--quick] [--cards 605000] [--records 1000000] [--out FILE]

The inputs are generated in a temp folder (written a record at a time: the generator never
holds them): a vCard 3.0 file of ``--cards`` small cards (a name and an email, ~85 bytes
each: 605,000 make ~50 MB), and a JSON export (the exchange format, indented as `export`
writes it) of ``--records`` records (2% contacts, 80% interactions, 18% favours). Each
import runs in a fresh process into a new journal, with and without ``--dry-run``; its peak
RSS is the child's ``ru_maxrss`` (a wrapper process runs each one, so every figure is that
run's own). Prints the table and writes bench/results/import.md. Target: under 500 MB.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bytecode import compile_package  # noqa: E402
from bench.generate import CIRCLES, FIRST, FKINDS, KINDS, LAST, STAMP, WORDS  # noqa: E402

NETJOURNAL = Path(sys.executable).with_name("netjournal")
TARGET_MB = 500

# Runs one command and prints its peak RSS (kB on Linux) and wall time: a process of its own,
# so RUSAGE_CHILDREN holds that command alone.
WRAPPER = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
elapsed = time.perf_counter() - start
if p.returncode:
    sys.exit(f"failed ({p.returncode}): {p.stderr.strip()[-400:]}")
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, elapsed)
"""


def write_vcards(path: Path, cards: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "wb") as f:
        for n in range(cards):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}"
            f.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL:p{n}@example.org\r\nEND:VCARD\r\n".encode())


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _records(records: int, seed: int) -> Iterator[tuple[str, dict[str, object]]]:
    rng = random.Random(seed)
    contacts = max(1, records // 50)
    interactions = records * 80 // 100
    today = date(2026, 11, 1)
    for n in range(contacts):
        yield "contacts", {
            "id": f"c-{n:016x}", "created": STAMP, "updated": STAMP, "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
            "aliases": [], "org": rng.choice(LAST) + " Inc", "role": "", "emails": [f"p{n}@example.org"], "phones": [],
            "birthday": "", "how_met": "", "circle": rng.choice(CIRCLES), "cadence_days": 0, "tags": rng.sample(WORDS, 3),
            "notes": _sentence(rng, 8), "asks": [], "snoozed_until": "", "archived": False,
        }
    for n in range(interactions):
        day = today - timedelta(days=rng.randint(0, 365 * 8))
        yield "interactions", {
            "id": f"i-{n:016x}", "created": STAMP, "updated": STAMP, "date": day.isoformat(),
            "contact_ids": [f"c-{rng.randrange(contacts):016x}"], "kind": rng.choice(KINDS), "text": _sentence(rng, 14),
            "minutes": rng.choice([0, 15, 30, 60]), "follow_up": "", "tags": rng.sample(WORDS, 2), "asks": [],
        }
    for n in range(records - contacts - interactions):
        day = today - timedelta(days=rng.randint(0, 365 * 8))
        yield "favours", {
            "id": f"f-{n:016x}", "created": STAMP, "updated": STAMP, "date": day.isoformat(),
            "contact_id": f"c-{rng.randrange(contacts):016x}", "direction": rng.choice(["given", "received"]),
            "kind": rng.choice(FKINDS), "text": _sentence(rng, 6), "weight": rng.randint(1, 5), "interaction_id": "",
        }


def write_export(path: Path, records: int, seed: int = 1) -> None:
    """The exchange format as `netjournal export` writes it (2-space indents), one record at a time."""
    with open(path, "wb") as f:
        f.write(b'{\n  "format": "netjournal",\n  "version": 1,\n  "exported": "2026-11-01T00:00:00.000000Z"')
        table = ""
        for name, doc in _records(records, seed):
            if name != table:
                f.write(b"\n  ]" if table else b"")
                f.write(b',\n  "' + name.encode() + b'": [\n')
                table = name
            else:
                f.write(b",\n")
            body = orjson.dumps(doc, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n    ")
            f.write(b"    " + body)
        f.write(b"\n  ]\n}\n")


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one run of ``cmd`` in a fresh process."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(out.stderr.strip())
    kb, secs = out.stdout.split()
    return int(kb) / 1024, float(secs)


def run(cards: int, records: int, folder: Path) -> list[tuple[str, str, float, float]]:
    vcf, export = folder / "people.vcf", folder / "export.json"
    write_vcards(vcf, cards)
    write_export(export, records)
    rows: list[tuple[str, str, float, float]] = []
    for label, path in ((f"vCard, {cards:,} cards", vcf), (f"JSON export, {records:,} records", export)):
        size = f"{path.stat().st_size / 1e6:.0f} MB"
        for dry in (True, False):
            journal = folder / f"j-{path.stem}-{int(dry)}" / "journal.json"
            env = {**os.environ, "NETJOURNAL_JOURNAL": str(journal)}
            cmd = [str(NETJOURNAL), "import", str(path), *(["--dry-run"] if dry else [])]
            mb, secs = measure(cmd, env)
            rows.append((f"{label} ({size})", "import --dry-run" if dry else "import", mb, secs))
            print(f"{rows[-1][0]:<40} {rows[-1][1]:<18} {mb:8.0f} MB {secs:8.1f} s", flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="60,000 cards and 100,000 records")
    ap.add_argument("--cards", type=int, default=605_000)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "import.md")
    a = ap.parse_args()
    cards, records = (60_000, 100_000) if a.quick else (a.cards, a.records)
    compile_package()
    with tempfile.TemporaryDirectory(prefix="nj-bench-import-") as tmp:
        rows = run(cards, records, Path(tmp))
    lines = [
        "# Import benchmark",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; `python bench/bench_import.py` (one fresh process per row, into a new journal; "
        "peak RSS is the process's `ru_maxrss`).",
        "",
        "| input | command | peak RSS | wall time | target |",
        "|---|---|---|---|---|",
    ]
    for label, cmd, mb, secs in rows:
        verdict = f"< {TARGET_MB} MB: {'met' if mb < TARGET_MB else 'NOT met'}"
        lines.append(f"| {label} | {cmd} | {mb:.0f} MB | {secs:.1f} s | {verdict} |")
    lines += ["", f"Written {date.today()} by bench/bench_import.py; load average {os.getloadavg()[0]:.1f} at the end."]
    text = "\n".join(lines) + "\n"
    print(text)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
