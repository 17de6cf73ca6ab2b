"""The capture line as the app reads it, per keystroke, in-process (part of bench_capture.py).

The app builds one index of the people per journal revision and parses the whole line on
every keystroke; each new prefix of a name is a new reference, so a keystroke inside a
mention pays a search for the closest names. Measured on 2,000 people twice: the benchmark
journal's (Latin names) and 2,000 names in nine scripts. Each line is typed one character at
a time against one index; every keystroke is timed in CPU time (process_time: other work on a
busy machine does not count, which wall-clock time could not promise here).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

SCRIPTS: dict[str, tuple[list[str], list[str]]] = {
    "latin": ("Zoë Ana Éva Inês José Łukasz".split(), "Ångström Silva Nagy Müller Dvořák".split()),
    "chinese": ("王小明 李雷 张伟 刘洋".split(), ["先生"]),
    "cyrillic": ("Ольга Анна Андрей Сергей".split(), "Петрова Иванова Смирнов".split()),
    "arabic": ("محمد أحمد فاطمة".split(), "الأحمد علي حسن".split()),
    "greek": ("Νίκος Γιώργος Μαρία".split(), "Παπαδόπουλος Νικολάου".split()),
    "devanagari": ("प्रिया राहुल अनीता".split(), "शर्मा वर्मा".split()),
    "thai": ("สมชาย ณัฐ มาลี".split(), "ใจดี ศรีสุข".split()),
    "hebrew": ("יוסי דנה שרה".split(), "כהן לוי".split()),
    "hangul": ("김민준 이서연 박지훈".split(), [""]),
}


def mixed_contacts(n: int = 2000, seed: int = 3) -> list[dict[str, Any]]:
    """``n`` stored contacts whose names are in nine scripts, in turn."""
    rng = random.Random(seed)
    scripts = list(SCRIPTS.values())
    out = []
    for i in range(n):
        first, last = scripts[i % len(scripts)]
        name = " ".join(filter(None, [rng.choice(first), rng.choice(last), str(i)]))
        out.append({"id": f"c-{i:016x}", "name": name, "aliases": [], "org": "", "archived": False})
    return out


def lines_for(contacts: Sequence[dict[str, Any]]) -> list[str]:
    """Lines naming people of ``contacts``: by their name typed with hyphens (each keystroke a new
    reference: a search for close names), by full name in quotes, and by a first word that many share."""
    full = [c["name"] for c in contacts[:: max(len(contacts) // 3, 1)][:3]]
    return [
        f"yesterday: coffee with @{'-'.join(full[0].lower().split())} 45m #bench +gave intro to Carla",
        f'call @"{full[1]}" +got advice',
        f"lunch with @{full[2].split()[0]} #pricing",
    ]


def keystrokes(contacts: Sequence[dict[str, Any]], rounds: int = 3) -> dict[str, list[float]]:
    """Seconds to build the index, and to parse each prefix of each line (one index per round)."""
    from netjournal.domain.capture import ContactIndex, parse_capture

    now = datetime(2026, 11, 1, 12)
    out: dict[str, list[float]] = {"build": [], "keystroke": []}
    for _ in range(rounds):
        start = time.process_time()
        index = ContactIndex(list(contacts))
        out["build"].append(time.process_time() - start)
        for line in lines_for(contacts):
            for end in range(1, len(line) + 1):
                start = time.process_time()
                parse_capture(line[:end], now=now, resolve=index)
                out["keystroke"].append(time.process_time() - start)
    return out


def table(results: dict[str, dict[str, list[float]]]) -> list[str]:
    """Markdown rows: per set of names, the index build and the keystrokes (median, p95, worst)."""

    def ms(v: float) -> str:
        return f"{v * 1000:.2f} ms"

    rows = [
        "| names (2,000 people) | build the index (median) | keystroke median | keystroke p95 | keystroke worst |",
        "|---|---|---|---|---|",
    ]
    for label, res in results.items():
        keys = sorted(res["keystroke"])
        p95 = keys[int(len(keys) * 0.95)]
        rows.append(f"| {label} | {ms(statistics.median(res['build']))} | {ms(statistics.median(keys))} | {ms(p95)} | {ms(keys[-1])} |")
    return rows
