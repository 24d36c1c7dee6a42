"""What the device link alone costs: the floor under benchmarks/decisions_at_scale.py.

Run: `.venv/bin/python benchmarks/link_floor.py [--rate 1000] [--seconds 5]`.

The same load as decisions_at_scale (20 simulated readers on one core presenting at a fixed
rate over the encrypted link) against a device server on the other core whose hub grants
every card at once: no decision, audit trail or door. It prints the server's CPU per
presentation (user and kernel) and the latency the readers see, so the figures of the full
benchmark can be read against what the link and the load generator cost by themselves.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from benchmarks.cores import cpu_seconds, pin  # noqa: E402
from benchmarks.decisions_at_scale import READERS, open_loop  # noqa: E402
from hardware.devicesim.sim import DeviceSim  # noqa: E402
from hardware.link import messages as m  # noqa: E402
from hardware.link.hub import Admission, PeerInfo  # noqa: E402
from hardware.link.runner import ServerAddress  # noqa: E402
from hardware.link.server import LinkServer  # noqa: E402
from hardware.link.session import DeviceSession  # noqa: E402


class GrantingHub:
    """Admits every device as adopted and grants every presentation."""

    async def admit(self, peer: PeerInfo) -> Admission:
        return Admission.accept(m.AdmissionState.ADOPTED, True, peer.serial)

    async def on_session(self, session: DeviceSession) -> None:
        return None

    async def on_closed(self, session: DeviceSession) -> None:
        return None

    async def on_message(
        self, session: DeviceSession, msg: m.DeviceMessage
    ) -> m.ControllerMessage | None:
        if isinstance(msg, m.Present):
            return m.Decision(msg.seq, True, None, "Access granted")
        return None


def serve(ports: Queue[int], stop: EventType) -> None:
    """The device server, on core 0 (run in a child process)."""
    pin(0)

    async def main() -> None:
        async with LinkServer(
            Ed25519PrivateKey.generate(), GrantingHub(), "127.0.0.1", 0, None
        ) as srv:
            ports.put(srv.bound_port or 0)
            while not stop.is_set():
                await asyncio.sleep(0.1)

    asyncio.run(main())


async def load(port: int, pid: int, rate: float, seconds: float) -> None:
    pin(1)
    with tempfile.TemporaryDirectory() as tmp:
        sim = DeviceSim(
            Path(tmp),
            READERS,
            0,
            ServerAddress("127.0.0.1", port, None),
            heartbeat_interval=None,
            feedback_seconds=3.0,
        )
        await sim.start()
        try:
            while not all(r.connected for r in sim.readers):
                await asyncio.sleep(0.05)
            user0, sys0 = cpu_seconds(pid)
            own0 = time.process_time()
            latencies, _granted = await open_loop(sim, ["0" * 26], rate, seconds)
            user1, sys1 = cpu_seconds(pid)
            count = len(latencies)
            own = (time.process_time() - own0) / count
        finally:
            await sim.async_close()
    latencies.sort()
    print(f"link only: {count} presentations at {rate:.0f}/s, a hub that grants at once")
    print(
        f"server CPU per presentation: user {(user1 - user0) / count * 1e6:.0f} us, "
        f"kernel {(sys1 - sys0) / count * 1e6:.0f} us"
    )
    print(f"simulated readers' CPU per presentation: {own * 1e6:.0f} us (other core)")
    print(
        f"latency: p50 {latencies[count // 2]:.2f} ms, "
        f"p99 {latencies[int(count * 0.99) - 1]:.2f} ms, max {latencies[-1]:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    ports: Queue[int] = context.Queue()
    stop = context.Event()
    server = context.Process(target=serve, args=(ports, stop))
    server.start()
    try:
        port = ports.get(timeout=30)
        asyncio.run(load(port, server.pid or 0, args.rate, args.seconds))
    finally:
        stop.set()
        server.join(timeout=10)
        if server.is_alive():
            server.terminate()


if __name__ == "__main__":
    main()
