"""Hostile text in the journal (terminal escapes, C1 controls, bidi overrides, NUL, a 100 KB
line) never reaches a terminal or a text file as a control character; the text around it
still shows, names in every script come through unchanged, and the JSON backup keeps it all.

The journal is filled the way a person fills it (a vCard import, ``contact add``, ``log``,
``give``), then every command's output and every text export is checked byte by byte.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from clitools import netjournal_exe

from netjournal.domain.safe import isolates_balanced, printable, strip_controls
from netjournal.domain.text import clean_line

FIX = Path(__file__).parents[1] / "fixtures" / "interop"

OSC52 = "\x1b]52;c;ZXZpbA==\x07"  # a clipboard write
OSC0 = "\x1b]0;pwned\x07"  # a window title
CLEAR = "\x1b[2J"
C1 = "".join(chr(c) for c in range(0x80, 0xA0))  # U+009B is CSI, U+009D is OSC
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
LONG = "long" + "x" * 100_000 + "tail"
SCRIPTS = ["Анна Каренина", "李小龍", "محمد علي", "अनुष्का शर्मा"]  # as in tests/fixtures/interop/hostile.vcf

ADDED = f"Mal{OSC0}lory {CLEAR}\u202eredro\u202c Cole\x9b31m"  # added with `contact add`
LOGGED = f"met about {OSC52} the {C1} plan \u202eeert\u202c, bell\x07 del\x7f"


def unsafe_chars(text: str, *, crlf: bool = False) -> list[str]:
    """The characters a terminal or a text file must not get: C0 but newline and tab (and CR
    before LF where the format wants CRLF), DEL, C1, the bidi embeddings and overrides, and
    isolates on a line where they are not balanced (balanced ones reorder nothing outside them)."""
    if crlf:
        text = text.replace("\r\n", "\n")
    bad = {ch for ch in text if (ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F or ch in BIDI[:5]}
    return sorted(bad | {ch for line in text.split("\n") if not isolates_balanced(line) for ch in line if ch in BIDI[5:]})


def assert_safe(text: str, *, crlf: bool = False) -> None:
    bad = unsafe_chars(text, crlf=crlf)
    assert not bad, f"control characters in the output: {[hex(ord(c)) for c in bad]}"


def nj(journal: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run the installed command; stdout and stderr as written, byte for byte (no newline translation)."""
    full = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    full.pop("NETJOURNAL_JOURNAL", None)
    p = subprocess.run([netjournal_exe(), "--journal", str(journal), *args], capture_output=True, env=full, timeout=60)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A journal filled with hostile text through the commands; what each writing command printed."""
    path = tmp_path_factory.mktemp("hostile") / "journal.json"
    printed: dict[str, tuple[int, str, str]] = {}
    printed["import --dry-run"] = nj(path, "import", "--dry-run", str(FIX / "hostile.vcf"))
    printed["import"] = nj(path, "import", str(FIX / "hostile.vcf"))
    printed["contact add"] = nj(path, "contact", "add", ADDED, "--org", f"Acme{CLEAR}", "--tag", "t\x1b[5m",
                                "--ask", f"wants {OSC52}", "--notes", LOGGED, "--every", "2w")
    code, out, _ = nj(path, "contact", "add", "Plain Person", "--json")
    assert code == 0
    plain_id = json.loads(out)["id"]
    code, out, _ = nj(path, "contact", "list", "--json")
    ids = {p["name"]: p["id"] for p in json.loads(out)}
    eve = next(i for n, i in ids.items() if n.startswith("Eve"))
    mal = next(i for n, i in ids.items() if n.startswith("Mal"))
    printed["log"] = nj(path, "log", "--on", "2026-01-10", f"@{plain_id} {LOGGED} 30m", "--create")
    printed["log long"] = nj(path, "log", "--on", "2026-01-11", f"@{plain_id} {LONG}")
    printed["edit long"] = nj(path, "contact", "edit", plain_id, "--notes", f"{LONG}\x1b[2J")  # a 100 KB one-line note
    printed["give"] = nj(path, "give", eve, f"lent {OSC0} a book{C1}", "--on", "2026-01-12")
    printed["receive"] = nj(path, "receive", mal, f"help \u202emoving\u202c{CLEAR}", "--on", "2026-01-13")
    printed["contact edit"] = nj(path, "contact", "edit", mal, "--role", f"boss{OSC0}")
    printed["snooze"] = nj(path, "snooze", eve, "--for", "1w")
    printed["snooze clear"] = nj(path, "snooze", eve, "--clear")
    printed["log two"] = nj(path, "log", "--on", "2026-01-14", f"met @{mal} and @{eve}: {OSC52}")
    return {"path": path, "printed": printed, "eve": eve, "mal": mal, "plain": plain_id}


# ------------------------------------------------------------------------------------- the sanitiser
def test_printable_shows_controls_as_visible_stand_ins_and_keeps_everything_else() -> None:
    assert printable(f"a{OSC52}b") == "a␛]52;c;ZXZpbA==␇b"
    assert printable("nul\x00 del\x7f csi\x9b") == "nul␀ del␡ csi\ufffd"
    assert printable("one\ntwo\tthree") == "one\ntwo\tthree"
    assert printable("one\r\ntwo\rthree") == "one\ntwo\nthree"  # a line break, whichever convention
    assert printable("one\ntwo\tthree", keep="") == "one␊two␉three"
    assert printable(f"x\u202eevil\u202cy {BIDI}z") == "xevily z"
    for name in [*SCRIPTS, "😀👩‍👩‍👧 Family", "שלום", "க்ஷ", "Zoë\u200dX", "a\u200fb"]:  # ZWJ and RLM are kept
        assert printable(name) == name and clean_line(name) == name
    assert printable(LONG) is LONG


def test_one_line_text_keeps_its_width_and_strip_controls_removes_them() -> None:
    assert clean_line(f"a\nb\tc\r\nd{CLEAR}") == "a b c  d␛[2J"
    assert strip_controls(f"a{OSC0}b{C1}c{BIDI}d\x00") == "a]0;pwnedbcd"
    assert strip_controls("李小龍\n") == "李小龍\n"


def test_balanced_isolates_stay_and_the_others_go() -> None:
    """The app may put FSI...PDI around a right-to-left name (it reorders nothing outside it);
    an isolate left open would reorder the rest of the line, and goes. Overrides always go."""
    from netjournal.domain.safe import isolates_balanced

    named = "name \u2068محمد علي\u2069  next column"
    assert isolates_balanced(named) and not isolates_balanced("a \u2067b") and not isolates_balanced("\u2069a\u2068")
    assert printable(named) == named and clean_line(named) == named
    assert printable(f"{named}\n\u2067open \u202eover") == f"{named}\nopen over"  # line by line
    assert clean_line(f"{named}\n\u2067open") == f"{named.replace(chr(0x2068), '').replace(chr(0x2069), '')} open"
    assert strip_controls(named, keep_isolates=True) == named and strip_controls(named) == "name محمد علي  next column"


def test_the_shells_console_and_the_apps_line_filter_keep_balanced_isolates() -> None:
    import io

    from rich.segment import Segment
    from rich.text import Text
    from textual.color import Color

    from netjournal.cli.safeio import make_console
    from netjournal.tui.textsafety import ControlFilter

    console = make_console()
    console.file = io.StringIO()
    console.print(Text.assemble("\u2068", ("محمد", "bold"), "\u2069", " ok\x1b[2J"))
    console.print(Text.assemble("\u2067", ("open", "bold"), " ok\x9b"))
    assert console.file.getvalue() == "\u2068محمد\u2069 ok[2J\nopen ok\n"
    line = [Segment("\u2068"), Segment("محمد"), Segment("\u2069 \x1b]0;t\x07x")]
    assert "".join(s.text for s in ControlFilter().apply(line, Color(0, 0, 0))) == "\u2068محمد\u2069 ]0;tx"
    line = [Segment("\u2067"), Segment("open \u202ex")]
    assert "".join(s.text for s in ControlFilter().apply(line, Color(0, 0, 0))) == "open x"


# ------------------------------------------------------------------------------------- the shell
def test_commands_that_write_print_no_control_character(hostile: dict[str, object]) -> None:
    printed = hostile["printed"]
    assert isinstance(printed, dict)
    for what, (code, out, err) in printed.items():
        assert code == 0, (what, err)
        assert_safe(out + err)
    assert "Eve" in printed["import"][1] and "Hacker" in printed["import"][1]
    assert all(name in printed["import"][1] for name in SCRIPTS)
    assert "Mal" in printed["contact add"][1] and "Cole" in printed["contact add"][1]
    assert "Mal" in printed["contact edit"][1]
    assert "Eve" in printed["snooze"][1]


READERS = [
    ("contact", "list"), ("contact", "list", "--archived"), ("contact", "show", "{eve}"), ("contact", "show", "{mal}"),
    ("contact", "show", "{plain}"), ("show", "{eve}"), ("show", "{mal}"), ("show", "{plain}"), ("search", "plan"), ("search", "long"), ("search",),
    ("ledger",), ("ledger", "{eve}"), ("today", "--on", "2026-06-01"), ("overdue", "--on", "2026-06-01"),
    ("who", "plan"), ("who", "ZXZpbA"), ("circles", "--on", "2026-06-01"), ("time", "--on", "2026-01-15"),
    ("reciprocity", "--on", "2026-02-01"), ("asks", "--on", "2026-02-01"),
]


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
def test_every_reading_command_prints_no_control_character(hostile: dict[str, object], terminal: bool) -> None:
    """Piped, and as on a terminal (Rich's own colour codes are the only escapes then)."""
    path = hostile["path"]
    assert isinstance(path, Path)
    env = {"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "0"} if terminal else None
    seen = ""
    for args in READERS:
        words = [a.format(**{k: v for k, v in hostile.items() if isinstance(v, str)}) for a in args]
        code, out, err = nj(path, *words, env=env)
        assert code == 0, (words, err)
        if terminal:
            out = re.sub(r"\x1b\[[0-9;]*m", "", out)  # style only
        assert_safe(out + err)
        seen += out
    for visible in ["Eve", "Hacker", "Mal", "Cole", "pwned", "ZXZpbA==", "plan", "a book", "moving", *SCRIPTS]:
        assert visible in seen, visible
    if not terminal:  # the long lines show whole when piped (a terminal cuts them to its width)
        assert seen.count(LONG) >= 2 and f"{LONG}␛[2J" in seen


def test_json_output_of_commands_keeps_the_text_escaped(hostile: dict[str, object]) -> None:
    path, mal = hostile["path"], hostile["mal"]
    assert isinstance(path, Path) and isinstance(mal, str)
    code, out, _ = nj(path, "contact", "show", mal, "--json")
    assert code == 0
    assert_safe(out)
    assert json.loads(out)["name"] == ADDED


def test_an_error_naming_hostile_input_is_one_clean_line(hostile: dict[str, object]) -> None:
    path = hostile["path"]
    assert isinstance(path, Path)
    code, out, err = nj(path, "show", f"nobody{OSC0}{C1}")
    assert code != 0 and err.count("\n") == 1 and "nobody" in err
    assert_safe(out + err)
    code, out, err = nj(path, "show", "Hacker")  # "did you mean" names the closest people
    assert code != 0 and err.count("\n") == 1 and "Eve" in err and "Hacker" in err
    assert_safe(out + err)


# ------------------------------------------------------------------------------------- exports
@pytest.mark.parametrize("args", [("-f", "md"), ("-f", "csv"), ("-f", "csv", "--what", "interactions"),
                                  ("-f", "csv", "--what", "favours"), ("-f", "vcf")], ids=lambda a: "-".join(a[1::2]))
def test_text_exports_hold_no_control_character(hostile: dict[str, object], tmp_path: Path, args: tuple[str, ...]) -> None:
    path = hostile["path"]
    assert isinstance(path, Path)
    crlf = "md" not in args  # CSV and vCard end their lines with CRLF
    code, out, _ = nj(path, "export", *args)
    assert code == 0
    target = tmp_path / "out"
    assert nj(path, "export", *args, "-o", str(target))[0] == 0
    written = target.read_bytes().decode("utf-8")
    assert written == out
    assert_safe(out, crlf=crlf)
    wanted = {"interactions": ["Mal", "ZXZpbA==", "plan"], "favours": ["Eve", "a book", "Mal", "moving"]}
    for visible in wanted.get(args[-1], ["Eve", "Hacker", "Mal", "ZXZpbA==", *SCRIPTS]):
        assert visible in out, visible


def test_markdown_per_contact_files_hold_no_control_character(hostile: dict[str, object], tmp_path: Path) -> None:
    path = hostile["path"]
    assert isinstance(path, Path)
    assert nj(path, "export", "-f", "md", "--per-contact", "-o", str(tmp_path / "md"))[0] == 0
    text = "".join(f.read_text(encoding="utf-8") for f in sorted((tmp_path / "md").iterdir()))
    assert_safe(text)
    assert "ZXZpbA==" in text and "Hacker" in text and "long" + "x" * 100_000 + "tail" in text


def test_the_json_backup_keeps_every_character_escaped(hostile: dict[str, object], tmp_path: Path) -> None:
    path = hostile["path"]
    assert isinstance(path, Path)
    code, out, _ = nj(path, "export", "-f", "json")
    assert code == 0
    assert_safe(out)  # the JSON text itself is safe to print: its strings escape what they hold
    data = json.loads(out)
    names = {c["name"] for c in data["contacts"]}
    notes = {c["notes"] for c in data["contacts"]}
    texts = {i["text"] for i in data["interactions"]}
    assert ADDED in names and LOGGED in notes and set(SCRIPTS) <= names
    assert any(OSC52 in t and C1 in t for t in texts) and any(LONG in t for t in texts)
    eve = next(c for c in data["contacts"] if c["name"].startswith("Eve"))
    assert eve["name"] == "Eve\x1b]0;pwned\x07 \u202eliamE\u202c Hacker\x9b2J"
    assert "\x00" in eve["notes"] and "\x7f" in eve["notes"] and C1 in eve["notes"]
    # and it restores to the same journal
    again = tmp_path / "again.json"
    (tmp_path / "backup.json").write_text(out, encoding="utf-8")
    assert nj(again, "import", str(tmp_path / "backup.json"))[0] == 0
    code, out2, _ = nj(again, "export", "-f", "json")
    assert json.loads(out2)["contacts"] == data["contacts"]
