"""``lintel card``: encode card numbers into Wiegand bits and decode bits back, for installers.

``lintel card encode --format H10301 --facility 118 --number 1603`` prints the bits and their
hex; ``lintel card decode --bits 1011…`` (or ``--hex 2F623AE --length 26``) lists every format of
that length with its check verdict. ``--json`` prints machine-readable output instead of a table.
Mistakes print one line to stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from app.access.wiegand import (
    FORMATS,
    WiegandError,
    bits_to_hex,
    candidates,
    encode,
    format_named,
    hex_to_bits,
)

USAGE_ERROR = 2


def _format_name(text: str) -> str:
    """Accept a format name in any case (``h10301``), as people type it."""
    by_lower = {name.lower(): name for name in FORMATS}
    return by_lower.get(text.lower(), text)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``lintel card``."""
    parser = argparse.ArgumentParser(
        prog="lintel card", description="Encode and decode Wiegand card formats."
    )
    sub = parser.add_subparsers(dest="action", required=True)
    enc = sub.add_parser("encode", help="card numbers -> Wiegand bits")
    enc.add_argument(
        "--format", type=_format_name, required=True, help=f"one of {', '.join(FORMATS)}"
    )
    enc.add_argument("--facility", type=int, default=None, help="facility code (not for H10302)")
    enc.add_argument("--number", type=int, required=True, help="card number")
    enc.add_argument("--json", action="store_true", help="print JSON instead of a table")
    dec = sub.add_parser("decode", help="Wiegand bits -> every format that fits")
    source = dec.add_mutually_exclusive_group(required=True)
    source.add_argument("--bits", help="the bits as 0s and 1s, first transmitted first")
    source.add_argument("--hex", help="the bits' value in hex (needs --length)")
    dec.add_argument("--length", type=int, default=None, help="number of bits, with --hex")
    dec.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _text(value: int | None) -> str:
    return "-" if value is None else str(value)


def _encode(args: argparse.Namespace) -> str:
    fmt = format_named(args.format)
    bits = encode(fmt.name, args.facility, args.number)
    result: dict[str, Any] = {
        "format": fmt.name,
        "facility_code": args.facility,
        "card_number": args.number,
        "bits": bits,
        "hex": bits_to_hex(bits),
    }
    if args.json:
        return json.dumps(result)
    labels = ("Format", "Facility code", "Card number", "Bits", "Hex")
    values = (fmt.name, _text(args.facility), str(args.number), bits, result["hex"])
    return _table(list(zip(labels, values, strict=True)))


def _decode(args: argparse.Namespace) -> str:
    if args.hex is not None:
        if args.length is None:
            raise WiegandError("--hex needs --length (the number of bits on the card)")
        bits = hex_to_bits(args.hex, args.length)
    else:
        if args.length is not None and args.length != len(args.bits):
            raise WiegandError(f"--length {args.length} does not match {len(args.bits)} bits")
        bits = args.bits
    found = candidates(bits)
    if not found:
        raise WiegandError(f"No supported card format is {len(bits)} bits long")
    if args.json:
        return json.dumps(
            [
                {
                    "format": c.format,
                    "facility_code": c.facility_code,
                    "card_number": c.card_number,
                    "parity_ok": c.parity_ok,
                }
                for c in found
            ]
        )
    rows = [("FORMAT", "FACILITY", "CARD NUMBER", "CHECKS")]
    rows += [
        (c.format, _text(c.facility_code), str(c.card_number), "ok" if c.parity_ok else "FAILED")
        for c in found
    ]
    return _table(rows)


def main(argv: list[str] | None = None) -> int:
    """Run ``lintel card`` with ``argv`` (without the ``card`` word); return the exit status."""
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        out = _encode(args) if args.action == "encode" else _decode(args)
    except WiegandError as exc:
        print(f"lintel card: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
