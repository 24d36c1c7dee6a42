"""``lintel blinkup`` as a real process: packets, frames, decoding, errors."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from hardware.blinkup import Mode, frames, simulate
from hardware.blinkup.cli import main
from tests.hardware.blinkup.support import HARD, SMALL

ROOT = Path(__file__).resolve().parents[3]
SMALL_ARGS = ["--ssid", "MyWiFi", "--password", "secret123"]
ENROL_ARGS = ["--plan", "0123456789abcdef", "--token", "fedcba9876543210"]


def lintel(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "blinkup", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
    )


def test_packet_hex() -> None:
    done = lintel("packet", "--mode", "imp", *SMALL_ARGS, *ENROL_ARGS)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "2501064d795769466906097365637265743132330510efcdab89674523011032547698badcfe70c0"
    )
    static = lintel("packet", *SMALL_ARGS, "--static", "10.0.0.5,255.255.255.0,10.0.0.1,1.1.1.1")
    assert "0b100a000005ffffff000a00000101010101" in static.stdout


def test_clear_packet() -> None:
    done = lintel("packet", "--mode", "imp", "--clear")
    assert (done.returncode, done.stdout.strip()) == (0, "0207001d41")


def test_frames_and_luma() -> None:
    done = lintel("frames", "--mode", "imp", *SMALL_ARGS, *ENROL_ARGS)
    lines = done.stdout.split()
    assert len(lines) == 710 and set(lines) == {"0", "1", "2"}
    luma = lintel(
        "frames", "--mode", "fast", *SMALL_ARGS, *ENROL_ARGS, "--server", "192.168.1.10", "--luma"
    )
    assert [int(v) for v in luma.stdout.split()] == frames(SMALL, Mode.FAST)


def test_decode_a_file_to_json(tmp_path: Path) -> None:
    samples = simulate(frames(SMALL, Mode.FAST), 60, HARD, random.Random(9))
    path = tmp_path / "samples.txt"
    path.write_text("# sensor dump\n" + "\n".join(f"{v:.6f}" for v in samples) + "\n")
    done = lintel("decode", str(path), "--rate", "1000", "--fps", "60", "--mode", "fast", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "clear": False,
        "ssid": "MyWiFi",
        "password": "secret123",
        "security": "wpa2",
        "plan": "0123456789abcdef",
        "token": "fedcba9876543210",
        "server": "192.168.1.10:31314",
        "static": None,
        "proxy": None,
    }
    text = lintel(
        "decode", "-", "--rate", "1000", "--fps", "60", "--mode", "fast", stdin=path.read_text()
    )
    assert "ssid: MyWiFi" in text.stdout
    assert "secret123" not in text.stdout and "fedcba9876543210" not in text.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["packet", "--ssid", "x", "--password", "short"], "8–63 bytes"),
        (["packet", "--mode", "fast", *SMALL_ARGS, *ENROL_ARGS], "device server"),
        (["packet", "--clear", "--ssid", "x"], "--clear takes no other settings"),
        (["packet", "--plan", "00"], "--plan and --token go together"),
        (["packet", "--ssid", "x", "--static", "1.2.3.4"], "IP,MASK,GW,DNS1"),
        (
            ["decode", "/nonexistent/samples", "--rate", "1000", "--fps", "60", "--mode", "imp"],
            "No such file",
        ),
    ],
)
def test_errors_are_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and err.startswith("lintel blinkup: error: ")


def test_an_error_from_the_real_process() -> None:
    done = lintel("packet", "--ssid", "x", "--password", "short")
    assert done.returncode == 2
    assert (
        done.stderr == "lintel blinkup: error: Wi-Fi password must be 8–63 bytes of UTF-8, got 5\n"
    )


def test_decode_errors_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("0.1\n0.2\nabc\n")
    assert main(["decode", str(path), "--rate", "1000", "--fps", "60", "--mode", "imp"]) == 2
    assert "line 3: not a number" in capsys.readouterr().err
    path.write_text("0.5\n" * 2000)
    assert main(["decode", str(path), "--rate", "1000", "--fps", "60", "--mode", "fast"]) == 2
    assert "no preamble found" in capsys.readouterr().err


def test_unknown_mode_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["frames", "--mode", "morse", *SMALL_ARGS])
    assert info.value.code == 2 and "invalid Mode value" in capsys.readouterr().err
