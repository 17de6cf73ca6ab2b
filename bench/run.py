"""Run every benchmark in one go (``make bench``), each writing its table to bench/results/.

    python bench/run.py [--quick]

The seeded 2,000 / 100,000 / 20,000 journal is generated once (bench/generate.py) and shared.
jrnl is measured beside ``netjournal log`` when /tmp/jrnl-venv/bin/jrnl exists
(``python -m venv /tmp/jrnl-venv && /tmp/jrnl-venv/bin/pip install jrnl``): a comparator only.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
JOURNAL = Path("/tmp/bench.json")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small journals and fewer runs: a sanity check")
    a = ap.parse_args()
    py = sys.executable
    if not JOURNAL.exists():
        subprocess.run([py, str(HERE / "generate.py"), str(JOURNAL)], check=True)
    quick = ["--quick"] if a.quick else []
    runs = ["--runs", "2"] if a.quick else []
    steps = [
        [py, str(HERE / "bench_store.py"), *quick],
        [py, str(HERE / "bench_capture.py"), "--journal", str(JOURNAL), *runs],
        [py, str(HERE / "bench_insights.py"), "--journal", str(JOURNAL), *runs],
        [py, str(HERE / "bench_tui.py"), *quick],
        [py, str(HERE / "bench_import.py"), *quick],
        [py, str(HERE / "bench_search.py"), "--journal", str(JOURNAL), *runs],
        [py, str(HERE / "bench_sharing.py"), *quick, *runs],
    ]
    views_app = HERE / "bench_views_app.py"
    if views_app.exists():
        steps.append([py, str(views_app), *runs])
    failed = 0
    for cmd in steps:
        print(f"\n$ {' '.join(Path(c).name if c.endswith('.py') else c for c in cmd[1:])}", flush=True)
        failed += subprocess.run(cmd).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
