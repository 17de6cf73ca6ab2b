"""Encryption at rest: the benchmark journal's commands encrypted beside the same journal plain.

    python bench/bench_encryption.py [--journal /tmp/bench.json] [--runs 5] [--start-runs 5]

Three copies of the 100,000-interaction journal (bench/generate.py): plain, encrypted to an
identity file, encrypted to a passphrase (given by NETJOURNAL_PASSPHRASE_COMMAND); the identity
file's also with pyrage only (NETJOURNAL_AGE_TOOL=off), the passphrase's also kept in a keyring
(bench_keyring.py). In each round every command runs on each copy in turn (fresh processes,
wall clock from start to exit, medians): `log`, `search`, and the app's first frame with data
(bench_tui.first_frame, in a pseudo-terminal). In-process, the parts: opening the key file
(X25519; scrypt for the passphrase, once per process; the keyring's copy), decrypting the head
alone and the whole snapshot (pyrage, the age tool), sealing it at a fold, one log line sealed,
and importing the cryptography library. Writes bench/results/encryption.md.
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


COPIES = ("plain", "identity", "identity, pyrage only", "passphrase", "passphrase, keyring")


def make_copies(source: Path, work: Path) -> dict[str, tuple[Path, dict[str, str]]]:
    """The journal three times: plain, to an identity file, to a passphrase; with their env.
    The identity file's copy is measured twice: as netjournal runs it (the age tool installed:
    read ahead and opened by it), and with pyrage only (NETJOURNAL_AGE_TOOL=off); the
    passphrase's twice: asked each time, and kept in a keyring (bench_keyring.py)."""
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
    out["identity, pyrage only"] = (out["identity"][0], {**envs["identity"], "NETJOURNAL_AGE_TOOL": "off"})
    kept = {"NETJOURNAL_KEYRING": "1", "PYTHON_KEYRING_BACKEND": "bench_keyring.FileKeyring",
            "BENCH_KEYRING_FILE": str(work / "keyring.json"),
            "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    out["passphrase, keyring"] = (out["passphrase"][0], {**envs["passphrase"], **kept})
    return {name: out[name] for name in COPIES}


def commands(copies: dict[str, tuple[Path, dict[str, str]]], name: str, runs: int, start_runs: int) -> dict[str, dict[str, list[float]]]:
    res: dict[str, dict[str, list[float]]] = {c: {"log": [], "search": [], "first frame": []} for c in copies}
    # (the first round's `log` keeps the key in the keyring copy's keyring: the rounds after use it)
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


def parts(copies: dict[str, tuple[Path, dict[str, str]]], work: Path) -> list[tuple[str, float]]:
    import keyring
    from bench_keyring import FileKeyring

    import netjournal.sealing.age_codec as age
    from netjournal.sealing import Keys, keyring_cache
    from netjournal.sealing.unlocking import key_path

    ident_path, env = copies["identity"]
    keys = Keys(identity=Path(env["NETJOURNAL_IDENTITY"]))
    sealed_key = key_path(ident_path).read_bytes()
    pass_path, _ = copies["passphrase"]
    pass_key = key_path(pass_path).read_bytes()
    journal_keys = age.unwrap(sealed_key, keys, "key")
    codec = age.AgeCodec(journal_keys, age.people(keys))
    raw = ident_path.read_bytes()
    head, _ = codec.unseal_head(raw)
    os.environ["NETJOURNAL_AGE_TOOL"] = "off"
    plain = codec.unseal(raw)
    pyrage_whole = best(lambda: codec.unseal(raw))
    del os.environ["NETJOURNAL_AGE_TOOL"]

    def by_tool() -> bytes:
        with open(ident_path, "rb") as f:
            return codec.unseal(raw, f.fileno())

    os.environ["BENCH_KEYRING_FILE"] = str(work / "parts-keyring.json")
    keyring.set_keyring(FileKeyring())
    keyring_cache.keep(key_path(pass_path), pass_key, journal_keys)
    line = orjson.dumps({"ops": [["interactions", "i-1", {"date": "2026-01-01", "text": "x" * 300}]]})
    crypto_import = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import cryptography.hazmat.primitives.ciphers.aead"],
        capture_output=True, text=True).stderr.strip().splitlines()[-1].split("|")[1]
    return [
        ("the key file opened with the identity file (X25519)", best(lambda: age.unwrap(sealed_key, keys, "k"))),
        ("the key file opened with the passphrase (scrypt, once per process)",
         best(lambda: age.unwrap(pass_key, Keys(passphrase=lambda: PASSPHRASE), "k"), 3)),
        ("the journal key taken from the keyring instead (NETJOURNAL_KEYRING=1; a file keyring here)",
         best(lambda: keyring_cache.recall(key_path(pass_path), pass_key))),
        (f"the head alone decrypted (the people: {len(head) / 1e6:.1f} MB of {len(plain) / 1e6:.1f} MB; "
         "log and the app's first steps)", best(lambda: codec.unseal_head(raw))),
        (f"the snapshot decrypted whole ({len(raw) / 1e6:.1f} MB), pyrage", pyrage_whole),
        ("the snapshot decrypted whole, the age tool (it reads the file; out through a pipe)", best(by_tool)),
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
        costs = parts(copies, Path(tmp))
    lines = [
        "# Encryption at rest",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; `python bench/bench_encryption.py` (medians of {a.runs} rounds, "
        f"{a.start_runs} for the first frame; each round runs every command on each copy in turn).",
        "",
        "The benchmark journal (2,000 contacts, 100,000 interactions, 20,000 favours) three times: plain, "
        "encrypted to an identity file, encrypted to a passphrase (NETJOURNAL_PASSPHRASE_COMMAND). The identity "
        "file's copy is measured as netjournal runs it (the standard age tool installed: the snapshot read ahead "
        "while netjournal starts, and opened by the tool) and with pyrage only (NETJOURNAL_AGE_TOOL=off, as on a "
        "machine without the age tool: read ahead by pyrage in a Python of its own); the passphrase's asked each "
        "time, and kept in a keyring "
        "(NETJOURNAL_KEYRING=1; bench_keyring.py, a file: this machine has no system keyring).",
        "",
        "| command | plain | identity file | ratio | identity, pyrage only | ratio | passphrase | ratio "
        "| passphrase, keyring | ratio | bound (identity file) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for cmd in ("log", "search", "first frame"):
        p, *others = (statistics.median(res[c][cmd]) for c in COPIES)
        verdict = "met" if others[0] / p <= BOUND else "NOT met"
        cells = " | ".join(f"{t:.3f} s | {t / p:.2f}x" for t in others)
        lines.append(f"| {cmd} | {p:.3f} s | {cells} | ≤ {BOUND}x: {verdict} |")
    lines += ["", "Where the time goes (in-process, medians):", "", "| part | time |", "|---|---|"]
    lines += [f"| {label} | {value * 1000:.1f} ms |" for label, value in costs]
    text = "\n".join(lines) + "\n"
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
