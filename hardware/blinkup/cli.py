"""``lintel blinkup``: BlinkUp packets, frames and decoding from the command line.

``lintel blinkup packet --mode imp --ssid S --password P [--plan HEX --token HEX]`` prints the
packet as hex; ``frames`` prints one symbol per frame (``--luma``: one screen level 0–255);
``decode FILE --rate HZ --fps FPS --mode imp|fast [--json]`` decodes light-sensor samples, one
number per line (``-`` reads standard input). Mistakes print one line to stderr and exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from hardware.blinkup.errors import BlinkUpError
from hardware.blinkup.receiver import decode
from hardware.blinkup.settings import (
    ClearSettings,
    Enrolment,
    NetworkSettings,
    Proxy,
    Security,
    Settings,
    StaticIP,
    WiFi,
    mask,
    split_server,
)
from hardware.blinkup.transfer import Mode, frames, packet, symbols

USAGE_ERROR = 2


def _settings_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mode", type=Mode, choices=list(Mode), default=Mode.IMP)
    parser.add_argument("--clear", action="store_true", help="tell the reader to forget Wi-Fi")
    parser.add_argument("--ssid", help="Wi-Fi network name")
    parser.add_argument("--password", help="Wi-Fi passphrase (8–63 bytes)")
    parser.add_argument(
        "--security",
        type=Security,
        choices=list(Security),
        default=None,
        help="default: wpa2 with a password, open without",
    )
    parser.add_argument("--plan", help="enrolment plan id (hex; 16 digits for imp)")
    parser.add_argument("--token", help="one-time enrolment token (hex)")
    parser.add_argument("--server", help="device server HOST[:PORT] (fast mode, with enrolment)")
    parser.add_argument("--static", metavar="IP,MASK,GW,DNS1[,DNS2]", help="static IPv4 setup")
    parser.add_argument("--proxy", metavar="HOST:PORT", help="HTTP proxy")
    parser.add_argument("--proxy-user", default=None)
    parser.add_argument("--proxy-password", default=None)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``lintel blinkup``."""
    parser = argparse.ArgumentParser(
        prog="lintel blinkup",
        description="Encode and decode BlinkUp optical network setup.",
    )
    sub = parser.add_subparsers(dest="action", required=True)
    pkt = sub.add_parser("packet", help="settings -> packet bytes as hex")
    _settings_options(pkt)
    frm = sub.add_parser("frames", help="settings -> one symbol per display frame")
    _settings_options(frm)
    frm.add_argument("--luma", action="store_true", help="print screen levels 0–255 instead")
    dec = sub.add_parser("decode", help="light-sensor samples -> settings")
    dec.add_argument("file", help="samples, one number per line ('-' for standard input)")
    dec.add_argument("--rate", type=float, required=True, help="samples per second")
    dec.add_argument("--fps", type=float, required=True, help="frames per second shown")
    dec.add_argument("--mode", type=Mode, choices=list(Mode), required=True)
    dec.add_argument("--json", action="store_true", help="print JSON (passwords included)")
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    """Build settings from the command-line options.

    Raises:
        BlinkUpError: If the options do not make valid settings.
    """
    given = [args.ssid, args.password, args.plan, args.token, args.static, args.proxy]
    if args.clear:
        if any(v is not None for v in given):
            raise BlinkUpError("--clear takes no other settings")
        return ClearSettings()
    wifi = static = proxy = enrolment = None
    if args.ssid is not None:
        security = args.security or (Security.WPA2 if args.password else Security.OPEN)
        wifi = WiFi(args.ssid, args.password or "", security)
    elif args.password is not None:
        raise BlinkUpError("--password needs --ssid")
    if args.static is not None:
        parts = [p.strip() for p in args.static.split(",")]
        if len(parts) not in (4, 5):
            raise BlinkUpError("--static takes IP,MASK,GW,DNS1[,DNS2]")
        static = StaticIP(*parts)
    if args.proxy is not None:
        host, port = split_server(args.proxy)
        proxy = Proxy(host, port, args.proxy_user, args.proxy_password)
    if (args.plan is None) != (args.token is None):
        raise BlinkUpError("--plan and --token go together")
    if args.plan is not None:
        enrolment = Enrolment(args.plan, args.token, args.server)
    return NetworkSettings(wifi, static, proxy, enrolment)


def read_samples(name: str) -> list[float]:
    """Read one number per line (blank lines and ``#`` comments skipped).

    Raises:
        BlinkUpError: For a line that is not a number.
        OSError: If the file cannot be read.
    """
    text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    samples = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            samples.append(float(line))
        except ValueError:
            raise BlinkUpError(f"{name} line {number}: not a number: {line[:40]!r}") from None
    return samples


def as_json(settings: Settings) -> dict[str, Any]:
    """The decoded settings as a flat JSON object (secrets included: the user asked)."""
    if isinstance(settings, ClearSettings):
        return {"clear": True}
    wifi, enrol, static, proxy = (
        settings.wifi,
        settings.enrolment,
        settings.static,
        settings.proxy,
    )
    return {
        "clear": False,
        "ssid": wifi.ssid if wifi else None,
        "password": wifi.password if wifi else None,
        "security": wifi.security.value if wifi else None,
        "plan": enrol.plan if enrol else None,
        "token": enrol.token if enrol else None,
        "server": enrol.server if enrol else None,
        "static": None if static is None else asdict(static),
        "proxy": None if proxy is None else asdict(proxy),
    }


def _as_text(settings: Settings) -> str:
    # Human output masks the secrets: --json shows them.
    lines = []
    for key, value in as_json(settings).items():
        if key in ("password", "token") and value:
            value = f"{mask(value)} (--json shows it)"
        elif isinstance(value, dict):
            value = ", ".join(
                f"{k}={mask(v) if k == 'password' else v}" for k, v in value.items() if v
            )
        lines.append(f"{key}: {'-' if value is None else value}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> str:
    """Carry out one parsed command; return what to print."""
    if args.action == "decode":
        settings = decode(read_samples(args.file), args.rate, args.fps, args.mode)
        return json.dumps(as_json(settings)) if args.json else _as_text(settings)
    settings = settings_from(args)
    if args.action == "packet":
        return packet(settings, args.mode).hex()
    values = frames(settings, args.mode) if args.luma else symbols(settings, args.mode)
    return "\n".join(map(str, values))


def main(argv: list[str] | None = None) -> int:
    """Run ``lintel blinkup`` with ``argv`` (without the ``blinkup`` word); return the status."""
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        out = run(args)
    except (BlinkUpError, OSError) as exc:
        print(f"lintel blinkup: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
