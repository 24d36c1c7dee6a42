"""``lintel card`` as a real process: JSON and tables out, plain errors with status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.access.wiegand import encode

ROOT = Path(__file__).resolve().parents[1]
CHECK_BITS = "10111101100010001110101110"  # H10301 123/4567, the reference's public value


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "card", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_encode_json() -> None:
    result = _run("encode", "--format", "H10301", "--facility", "123", "--number", "4567", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "format": "H10301",
        "facility_code": 123,
        "card_number": 4567,
        "bits": CHECK_BITS,
        "hex": "2F623AE",
    }


def test_encode_without_facility_code_format() -> None:
    result = _run("encode", "--format", "H10302", "--number", "1603", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["facility_code"] is None
    assert out["bits"] == encode("H10302", None, 1603)
    assert out["hex"] == "0000000C86"  # 37 bits -> 10 digits, zero-padded


def test_encode_table_for_people() -> None:
    result = _run("encode", "--format", "C1k48s", "--facility", "4000000", "--number", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Format", "C1k48s"]
    assert lines[1].split() == ["Facility", "code", "4000000"]
    assert lines[3].split() == ["Bits", encode("C1k48s", 4000000, 1)]
    assert lines[0].index("C1k48s") == lines[1].index("4000000")  # values line up in a column


def test_decode_bits_json() -> None:
    result = _run("decode", "--bits", CHECK_BITS, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"format": "H10301", "facility_code": 123, "card_number": 4567, "parity_ok": True}
    ]


def test_decode_hex_lists_every_format_of_the_length() -> None:
    bits = encode("H10304", 7, 9)
    result = _run("decode", "--hex", f"{int(bits, 2):X}", "--length", "37", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {
            "format": "H10302",
            "facility_code": None,
            "card_number": (7 << 19) | 9,
            "parity_ok": True,
        },
        {"format": "H10304", "facility_code": 7, "card_number": 9, "parity_ok": True},
    ]


def test_decode_table_shows_a_failed_check() -> None:
    flipped = CHECK_BITS[:-1] + ("0" if CHECK_BITS[-1] == "1" else "1")
    result = _run("decode", "--bits", flipped)
    assert result.returncode == 0, result.stderr
    header, row = result.stdout.splitlines()
    assert header.split() == ["FORMAT", "FACILITY", "CARD", "NUMBER", "CHECKS"]
    assert row.split() == ["H10301", "123", "4567", "FAILED"]
    assert header.index("CHECKS") == row.index("FAILED")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["encode", "--format", "H10301", "--facility", "300", "--number", "1"], "0–255"),
        (["encode", "--format", "H10302", "--facility", "1", "--number", "1"], "no facility code"),
        (["encode", "--format", "H10301", "--number", "1"], "needs a facility code"),
        (["encode", "--format", "NOPE", "--number", "1"], "Unknown card format"),
        (["decode", "--bits", "10201"], "only the digits 0 and 1"),
        (["decode", "--bits", "1" * 30], "No supported card format is 30 bits"),
        (["decode", "--hex", "2F623AE"], "needs --length"),
        (["decode", "--hex", "2F623AE", "--length", "20"], "does not fit in 20 bits"),
        (["decode"], "one of the arguments --bits --hex is required"),
    ],
)
def test_errors_exit_2_with_a_message_and_no_traceback(args: list[str], message: str) -> None:
    result = _run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
