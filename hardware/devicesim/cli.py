"""``lintel device-sim``: run simulated readers and door controllers until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

from hardware.devicesim.announce import Announcer
from hardware.devicesim.dnssd import DnsSdAnnouncer
from hardware.devicesim.sim import DeviceSim
from hardware.discovery import DiscoveryError
from hardware.link.errors import LinkError
from hardware.link.runner import ServerAddress, parse_host_port


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text}")
    return value


def _address(text: str) -> tuple[str, int]:
    try:
        return parse_host_port(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``device-sim``."""
    parser = argparse.ArgumentParser(
        prog="lintel device-sim",
        description="Run simulated readers and door controllers against a device server.",
    )
    parser.add_argument("--readers", type=_count, default=1, metavar="N")
    parser.add_argument("--controllers", type=_count, default=1, metavar="M")
    parser.add_argument(
        "--unconfigured-readers",
        type=_count,
        default=0,
        metavar="K",
        help="readers fresh from the box (amber): they connect only after a BlinkUp transfer "
        "(POST /readers/{serial}/light)",
    )
    parser.add_argument(
        "--server", default="127.0.0.1:31314", metavar="HOST:PORT", help="device server"
    )
    parser.add_argument(
        "--server-fallback",
        type=int,
        default=993,
        metavar="PORT",
        help="port tried when the main one fails (0: none; default 993)",
    )
    parser.add_argument(
        "--control",
        type=_address,
        default=("127.0.0.1", 0),
        metavar="HOST:PORT",
        help="control API address (port 0: any free port, written to DIR/control.json)",
    )
    parser.add_argument("--data", type=Path, required=True, metavar="DIR")
    parser.add_argument("--feedback-seconds", type=float, default=3.0, metavar="S")
    parser.add_argument(
        "--interface",
        default=None,
        metavar="IF",
        help="announce the devices with DNS-SD on this interface only (e.g. lo); default: none",
    )
    parser.add_argument(
        "--log-level",
        type=str.upper,
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
    )
    return parser


async def run(sim: DeviceSim, stop: asyncio.Event) -> None:
    """Start ``sim``, wait for ``stop``, then shut it down cleanly."""
    async with sim:
        await stop.wait()


async def _main(args: argparse.Namespace, announcer: Announcer | None) -> int:
    fallback = args.server_fallback or None
    try:
        server = ServerAddress.parse(args.server, fallback_port=fallback)
    except ValueError as exc:
        print(f"lintel device-sim: --server: {exc}", file=sys.stderr)
        return 2
    host, port = args.control
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows' default loop
            loop.add_signal_handler(sig, stop.set)
    try:
        async with contextlib.AsyncExitStack() as stack:
            if announcer is None and args.interface:
                announcer = await stack.enter_async_context(DnsSdAnnouncer(args.interface))
            sim = DeviceSim(
                args.data,
                args.readers,
                args.controllers,
                server,
                host,
                port,
                feedback_seconds=args.feedback_seconds,
                announcer=announcer,
                unconfigured_readers=args.unconfigured_readers,
            )
            await run(sim, stop)
    except (OSError, LinkError, DiscoveryError) as exc:
        print(f"lintel device-sim: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None, *, announcer: Announcer | None = None) -> int:
    """Run the device simulator until SIGINT or SIGTERM.

    Args:
        argv: Command-line arguments (without the program name); default ``sys.argv[1:]``.
        announcer: Optional DNS-SD hook used to announce every simulated device.

    Returns:
        The process exit status.
    """
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return asyncio.run(_main(args, announcer))


if __name__ == "__main__":
    sys.exit(main())
