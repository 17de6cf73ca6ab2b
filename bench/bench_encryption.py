"""Encryption at rest: the benchmark journal's commands encrypted beside the same journal plain.

    python bench/bench_encryption.py [--journal /tmp/bench.json] [--runs 5] [--start-runs 5]

Three copies of the 100,000-interaction journal (bench/generate.py): plain, encrypted to an
identity file, encrypted to a passphrase (given by NETJOURNAL_PASSPHRASE_COMMAND). In each
round every command runs on each copy in turn (fresh processes, wall clock from start to exit,
medians): `log`, `search`, and the app's first frame with data (bench_tui.first_frame, in a
pseudo-terminal). In-process, the parts: opening the key file (X25519, and scrypt for the
passphrase: once per process), decrypting the whole snapshot (pyrage), sealing it at a fold,
one log line sealed, and importing the cryptography library. Writes bench/results/encryption.md.
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
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from bench_capture import timed  # noqa: E402
from bench_tui import DATA_SHOWN, first_frame  # noqa: E402

from bench.bytecode import compile_package  # noqa: E402
from bench.generate import generate_records, write_journal  # noqa: E402

NETJOURNAL = Path(sys.executable).with_name("netjournal")
PASSPHRASE = "correct horse battery staple"
BOUND = 1.3


def make_copies(source: Path, work: Path) -> dict[str, tuple[Path, dict[str, str]]]:
    """The journal three times: plain, to an identity file, to a passphrase; with their env."""
    from pyrage import x25519

    key = work / "key.txt"
    key.write_text(f"{x25519.Identity.generate()}\n")
    (work / "pass").write_text(PASSPHRASE + "\n")
    base = {k: v for k, v in os.environ.items() if not k.startswith("NETJOURNAL_")}
    envs = {
        "plain": base,
        "identity": {**base, "NETJOURNAL_IDENTITY": str(key)},
        "passphrase": {**base, "NETJOURNAL_PASSPHRASE_COMMAND": f"cat {work / 'pass'}"},
    }
    out = {}
    for name, env in envs.items():
        path = work / name / "journal.json"
        path.parent.mkdir()
        shutil.copyfile(source, path)
        if name != "plain":
            how = ["--identity", str(key)] if name == "identity" else ["--passphrase"]
            subprocess.run([str(NETJOURNAL), "--journal", str(path), "encrypt", *how, "--yes"], env=env, check=True,
                           capture_output=True)
        out[name] = (path, env)
    return out


def commands(copies: dict[str, tuple[Path, dict[str, str]]], name: str, runs: int, start_runs: int) -> dict[str, dict[str, list[float]]]:
    res: dict[str, dict[str, list[float]]] = {c: {"log": [], "search": [], "first frame": []} for c in copies}
    tty = {"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    for n in range(max(runs, start_runs) + 1):  # the first round takes the day's backups and warms the cache
        for copy, (path, env) in copies.items():
            base = [str(NETJOURNAL), "--journal", str(path)]
            got = {}
            if n <= runs:
                got["log"] = timed([*base, "log", f'yesterday: lunch with @"{name}" #bench +got advice on pricing'], env)
                got["search"] = timed([*base, "search", "pricing"], env)
            if n <= start_runs:
                got["first frame"] = first_frame([sys.executable, "-m", "netjournal", "--journal", str(path)],
                                                 {**env, **tty}, DATA_SHOWN)
            if n:
                for key, value in got.items():
                    res[copy][key].append(value)
        print(f"  round {n} done", flush=True)
    return res


def best(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def parts(copies: dict[str, tuple[Path, dict[str, str]]]) -> list[tuple[str, float]]:
    import netjournal.sealing.age_codec as age
    from netjournal.sealing import Keys
    from netjournal.sealing.unlocking import key_path

    ident_path, env = copies["identity"]
    keys = Keys(identity=Path(env["NETJOURNAL_IDENTITY"]))
    sealed_key = key_path(ident_path).read_bytes()
    pass_path, _ = copies["passphrase"]
    pass_key = key_path(pass_path).read_bytes()
    codec = age.AgeCodec(age.unwrap(sealed_key, keys, "key"), age.people(keys))
    raw = ident_path.read_bytes()
    plain = codec.unseal(raw)
    line = orjson.dumps({"ops": [["interactions", "i-1", {"date": "2026-01-01", "text": "x" * 300}]]})
    crypto_import = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import cryptography.hazmat.primitives.ciphers.aead"],
        capture_output=True, text=True).stderr.strip().splitlines()[-1].split("|")[1]
    return [
        ("the key file opened with the identity file (X25519)", best(lambda: age.unwrap(sealed_key, keys, "k"))),
        ("the key file opened with the passphrase (scrypt, once per process)",
         best(lambda: age.unwrap(pass_key, Keys(passphrase=lambda: PASSPHRASE), "k"), 3)),
        (f"the snapshot decrypted whole ({len(raw) / 1e6:.1f} MB, pyrage)", best(lambda: codec.unseal(raw))),
        ("the snapshot sealed at a fold (pyrage)", best(lambda: codec.seal(plain))),
        ("one change-log line sealed (AES-256-GCM, base64)", best(lambda: codec.seal_line(line), 50)),
        ("importing cryptography (only for an encrypted journal)", int(crypto_import) / 1e6),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--journal", type=Path, default=Path("/tmp/bench.json"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--start-runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "encryption.md")
    a = ap.parse_args()
    if not a.journal.exists():
        write_journal(a.journal, generate_records())
    compile_package()
    name = next(iter(orjson.loads(a.journal.read_bytes())["contacts"].values()))["name"]
    with tempfile.TemporaryDirectory(prefix="netjournal-enc-") as tmp:
        copies = make_copies(a.journal, Path(tmp))
        res = commands(copies, name, a.runs, a.start_runs)
        costs = parts(copies)
    lines = [
        "# Encryption at rest",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; `python bench/bench_encryption.py` (medians of {a.runs} rounds, "
        f"{a.start_runs} for the first frame; each round runs every command on each copy in turn).",
        "",
        "The benchmark journal (2,000 contacts, 100,000 interactions, 20,000 favours) three times: plain, "
        "encrypted to an identity file, encrypted to a passphrase (NETJOURNAL_PASSPHRASE_COMMAND).",
        "",
        "| command | plain | identity file | ratio | passphrase | ratio | bound (identity) |",
        "|---|---|---|---|---|---|---|",
    ]
    for cmd in ("log", "search", "first frame"):
        p, i, s = (statistics.median(res[c][cmd]) for c in ("plain", "identity", "passphrase"))
        verdict = "met" if i / p <= BOUND else "NOT met"
        lines.append(f"| {cmd} | {p:.3f} s | {i:.3f} s | {i / p:.2f}x | {s:.3f} s | {s / p:.2f}x | ≤ {BOUND}x: {verdict} |")
    lines += ["", "Where the time goes (in-process, medians):", "", "| part | time |", "|---|---|"]
    lines += [f"| {label} | {value * 1000:.1f} ms |" for label, value in costs]
    text = "\n".join(lines) + "\n"
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
