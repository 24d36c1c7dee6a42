"""Site-secured HF cards through the real device link: enrolled by the front desk, presented
at a simulated reader."""

from __future__ import annotations

from typing import Any

import pytest

from app.controller.errors import Conflict
from app.controller.resources import CARD_ASSIGNMENTS, CARDS
from app.controller.service import Controller
from hardware.link.messages import Credential
from tests.controller.conftest import Api
from tests.controller.test_card_import import upload
from tests.controller.wired import Wired
from tests.waiting import until

UID = "5A1B2C3D4E5F60"
OTHER_UID = "5A0000000000FF"


def enrol(controller: Controller, wired: Wired) -> tuple[dict[str, Any], str]:
    """What the front desk does: sign a credential for the card, enrol it, give it to a member."""
    member = wired.member(controller.site, "secured@example.com")
    signed = controller.card_signer.issue(bytes.fromhex(UID))
    card = controller.site.create(
        CARDS, {"type": "site_secured_hf", "uid": UID, "token": signed.token}
    )
    controller.site.create(
        CARD_ASSIGNMENTS,
        {"card_id": card["id"], "assignee_type": "User", "assignee_id": member["id"]},
    )
    return card, signed.ndef.hex()


async def test_genuine_card_opens_and_a_copy_is_denied_and_recorded(
    controller: Controller, wired: Wired
) -> None:
    card, ndef = enrol(controller, wired)
    assert card["model"] == "credential-site-secured-hf" and "token" not in card
    reader = wired.sim.readers[0]
    await until(lambda: reader.assigned, what="reader assigned")

    genuine = await reader.present(Credential(uid=UID, ndef=ndef))
    assert genuine.granted

    copy = await reader.present(Credential(uid=OTHER_UID, ndef=ndef))
    assert not copy.granted and copy.code == "lc0010"
    assert reader.led == "red"
    bare = await reader.present(Credential(uid=UID))
    assert not bare.granted and bare.code == "faa9ef"

    events = controller.event_log.recent(3)
    assert [e["success"] for e in events] == [False, False, True]
    assert events[1]["error_code"] == "lc0010"
    assert events[1]["error_message"] == "The credential was copied from another card"


async def test_card_key_is_a_private_file(controller: Controller) -> None:
    path = controller.config.data_dir / "card-signing.key"
    assert path.stat().st_mode & 0o777 == 0o600


async def test_one_physical_card_is_enrolled_once_whatever_its_hf_type(
    controller: Controller,
) -> None:
    controller.site.create(CARDS, {"type": "third_party_hf", "uid": UID})
    with pytest.raises(Conflict) as refused:
        controller.site.create(CARDS, {"type": "site_secured_hf", "uid": UID.lower()})
    assert refused.value.code == "cabbeb"


async def test_an_import_cannot_enrol_a_secured_cards_uid_again(
    controller: Controller, wired: Wired, api: Api
) -> None:
    # A UID-only enrolment of a secured card's UID would let a bare copy of the UID in.
    enrol(controller, wired)
    wired.member(controller.site, "bob@example.com")
    csv = (
        "format,uid,email\n"
        f"HF,{UID},bob@example.com\n"
        f"mobile,{OTHER_UID},\n"
        f"HF,{OTHER_UID.lower()},\n"  # the same physical card as the line above
    )
    started = await api.ok(
        "POST", "/csv_card_imports", {"csv_card_import": {"file_name": await upload(api, csv)}}
    )
    done = await controller.card_imports.wait(started["id"])
    assert done["imported"] == 1
    assert "already enrolled" in done["import_errors"]["line 2"][0]
    assert "line 3" in done["import_errors"]["line 4"][0]
    reader = wired.sim.readers[0]
    await until(lambda: reader.assigned, what="reader assigned")
    bare = await reader.present(Credential(uid=UID))
    assert not bare.granted and bare.code == "faa9ef"
