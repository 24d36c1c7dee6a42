"""Front desk: time from a card placed on the reader to the card saved in the controller.

Run: `.venv/bin/python benchmarks/tap_to_saved.py [--taps 20] [--kinds type2,type4]`.

Each tap goes the whole way the desk's "Tap a card" goes, without Qt: the enrolment flow
(`app.ui.card_enrolment.CardEnrolment.tap`) waits on a real `NfcpyReader` on nfcpy's `udp:`
front-end (sensing Type A, polling every 50 ms), a blank emulated card is placed in the field
(`hardware.nfc.udp_emulator.TagEmulator`), the flow reads it, signs a credential, writes it and
reads it back, then enrols the card and gives it to a person in the controller's SQLite store.

Two ways a person does it, each timed to the card saved:

- *placed while waiting*: "Tap a card" is pressed first; the clock starts when the card is
  placed. nfcpy's ``udp`` driver waits a fixed 1.0 s for an answer to each SENS_REQ, so a card
  placed mid-look is found at the next look: about a second that a USB reader (which answers
  "no card" in milliseconds) does not have;
- *on the reader first*: the card lies on the reader; the clock starts when "Tap a card" is
  pressed.

Phases come from the flow's own progress steps: *found* (the card activated and its NDEF
read), *written* (credential written and read back), *saved* (card and assignment committed).

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.controller.front_desk import FrontDesk  # noqa: E402
from app.controller.service import Controller, ControllerConfig  # noqa: E402
from app.ui.card_enrolment import CardEnrolment, Enrolled  # noqa: E402
from hardware.nfc.nfcpy_backend import NfcpyReader  # noqa: E402
from hardware.nfc.udp_emulator import TagEmulator  # noqa: E402
from hardware.nfc.udp_tags import EmulatedType2Tag, EmulatedType4Tag, EmulatedTypeATag  # noqa: E402

KINDS = ("type2", "type4")


def blank_card(kind: str, serial: int) -> EmulatedTypeATag:
    """A blank card with a UID of its own (7 bytes, not NXP's 0x04 prefix)."""
    if kind == "type2":
        return EmulatedType2Tag(b"\x5a" + serial.to_bytes(6, "big"))
    return EmulatedType4Tag(b"\x5b" + serial.to_bytes(6, "big"))


async def one_tap(
    enrolment: CardEnrolment,
    reader: NfcpyReader,
    field: TagEmulator,
    card: EmulatedTypeATag,
    who: int,
    placed_first: bool,
) -> dict[str, float]:
    """Enrol ``card``; return the phase times in milliseconds."""
    marks: dict[str, float] = {}

    def step(text: str) -> None:
        marks.setdefault(text.split(" ", 1)[0], time.perf_counter())

    if placed_first:
        field.present(card)
    placed = time.perf_counter()
    waiting = asyncio.create_task(enrolment.tap(reader, who, on_step=step, timeout=10))
    if not placed_first:
        while "Hold" not in marks:
            await asyncio.sleep(0)
        await asyncio.sleep(0.02)  # the flow is mid-look, as when a person walks up
        placed = time.perf_counter()
        field.present(card)
    outcome = await waiting
    saved = time.perf_counter()
    field.remove()
    if not isinstance(outcome, Enrolled):
        raise RuntimeError(f"the card was not enrolled: {outcome}")
    return {
        "found": (marks["Writing"] - placed) * 1000,
        "written": (marks["Saving"] - marks["Writing"]) * 1000,
        "saved": (saved - marks["Saving"]) * 1000,
        "total": (saved - placed) * 1000,
    }


async def bench(taps: int, kinds: list[str]) -> None:
    """Run ``taps`` enrolments per card kind and print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        controller = Controller(ControllerConfig(data_dir=Path(tmp) / "site", api_port=None))
        desk = FrontDesk(controller.site, controller.event_log)
        enrolment = CardEnrolment(desk, controller.card_signer)
        who = desk.create_person("Bench Mark", "bench@example.com").id
        try:
            with TagEmulator() as field:
                async with NfcpyReader(field.path, targets=("106A",), poll_interval=0.05) as reader:
                    print(f"{taps} taps per kind and way, nfcpy udp: front-end on {field.path}")
                    print(f"{'kind':6} {'way':21} {'phase':8} {'median ms':>10} {'max ms':>8}")
                    serial = 0
                    for kind in kinds:
                        for placed_first in (False, True):
                            way = "on the reader first" if placed_first else "placed while waiting"
                            runs = []
                            for _ in range(taps):
                                serial += 1
                                card = blank_card(kind, serial)
                                runs.append(
                                    await one_tap(enrolment, reader, field, card, who, placed_first)
                                )
                            for phase in ("found", "written", "saved", "total"):
                                values = [r[phase] for r in runs]
                                print(
                                    f"{kind:6} {way:21} {phase:8}"
                                    f" {statistics.median(values):10.1f} {max(values):8.1f}"
                                )
            print(f"cards saved: {len(desk.cards_of(who))}")
        finally:
            controller.store.close()


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=20, help="taps per card kind (default 20)")
    parser.add_argument("--kinds", default="type2,type4", help="type2, type4 or both")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip() in KINDS]
    asyncio.run(bench(args.taps, kinds))


if __name__ == "__main__":
    main()
