"""The ``lintel`` command: the desktop app, the headless controller and the device simulator."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
import sys
from pathlib import Path

from app.controller.service import (
    DEFAULT_DEVICE_PORT,
    FALLBACK_DEVICE_PORT,
    Controller,
    ControllerConfig,
)


def host_port(text: str) -> tuple[str, int]:
    """Parse ``HOST:PORT`` (IPv6 hosts in brackets)."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or int(port) > 65535:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def _controller_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("controller", help="run the local controller headless")
    p.add_argument("--data", type=Path, required=True, help="data folder (site database)")
    p.add_argument(
        "--api",
        type=host_port,
        default=("127.0.0.1", 8080),
        metavar="HOST:PORT",
        help="where the REST API listens (default 127.0.0.1:8080)",
    )
    p.add_argument(
        "--device-port",
        type=int,
        default=DEFAULT_DEVICE_PORT,
        help=f"device server port (default {DEFAULT_DEVICE_PORT})",
    )
    p.add_argument(
        "--device-fallback-port",
        type=int,
        default=FALLBACK_DEVICE_PORT,
        help=f"used when the device port cannot be bound (default "
        f"{FALLBACK_DEVICE_PORT}; 0 for none)",
    )
    p.add_argument("--device-host", default="0.0.0.0", help="device server address")


async def _serve_controller(args: argparse.Namespace) -> int:
    config = ControllerConfig(
        data_dir=args.data,
        api_host=args.api[0],
        api_port=args.api[1],
        device_host=args.device_host,
        device_port=args.device_port,
        device_fallback_port=args.device_fallback_port or None,
    )
    controller = Controller(config)
    await controller.start()
    if controller.first_start:
        print(
            f"Created a new site in {args.data}. The administrator secret is in "
            f"{args.data / 'admin.secret'}.",
            flush=True,
        )
    print(
        f"Lintel controller: API on {config.api_host}:{controller.api_port}, "
        f"devices on port {controller.device_port}",
        flush=True,
    )
    # Everything loaded so far lives as long as the service: keep the garbage collector from
    # walking it again and again (a full collection of it held decisions up for ~70 ms).
    gc.freeze()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await controller.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``lintel``; with no command it opens the desktop app."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["device-sim"]:
        from hardware.devicesim.cli import main as device_sim

        return device_sim(argv[1:])
    if argv[:1] == ["card"]:
        from app.card_cli import main as card

        return card(argv[1:])
    if argv[:1] == ["blinkup"]:
        from hardware.blinkup.cli import main as blinkup

        return blinkup(argv[1:])
    parser = argparse.ArgumentParser(prog="lintel", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command")
    gui = sub.add_parser("gui", help="open the desktop app (the default)")
    gui.add_argument("--data", type=Path, default=None, help="data folder")
    gui.add_argument("--interface", default=None, help="network interface for discovery")
    gui.add_argument(
        "--card-reader",
        default="usb",
        metavar="PATH",
        help="the front desk's NFC card reader: usb, usb:VID:PID, tty:PORT:DRIVER or "
        "udp:HOST:PORT (default usb; 'none' for no reader)",
    )
    _controller_parser(sub)
    sub.add_parser("device-sim", help="run simulated readers and door controllers")
    sub.add_parser("card", help="encode and decode Wiegand card formats")
    sub.add_parser("blinkup", help="encode and decode BlinkUp optical network setup")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command == "controller":
        with contextlib.suppress(KeyboardInterrupt):
            return asyncio.run(_serve_controller(args))
        return 0
    from app.ui.main import run_gui

    card_reader = getattr(args, "card_reader", "usb")
    return run_gui(
        getattr(args, "data", None),
        getattr(args, "interface", None),
        card_reader=None if card_reader == "none" else card_reader,
    )


if __name__ == "__main__":
    raise SystemExit(main())
