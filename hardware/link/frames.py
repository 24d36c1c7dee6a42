"""Pure frame-body codec: one type byte followed by a compact UTF-8 JSON object.

``encode`` is canonical (sorted keys, no spaces) so both ends produce the same bytes for the
same message, which the handshake signature relies on. ``decode`` is strict: unknown type
bytes, bad JSON, duplicate keys, unknown or missing fields and out-of-range values all raise
``LinkDecodeError`` showing the bad value.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import fields
from enum import Enum
from typing import Any

from hardware.link.errors import LinkDecodeError, show
from hardware.link.fields import FieldReader
from hardware.link.messages import (
    Accepted,
    Ack,
    AdmissionState,
    Auth,
    Credential,
    Decision,
    DeviceKind,
    Energize,
    Heartbeat,
    Hello,
    Identify,
    InputChanged,
    InputState,
    LedChanged,
    LedState,
    Message,
    Present,
    Pulse,
    Reboot,
    Rejected,
    SetLed,
    Tamper,
    Welcome,
)

TYPE_CODES: dict[type, int] = {
    Hello: 0x01,
    Welcome: 0x02,
    Auth: 0x03,
    Accepted: 0x04,
    Rejected: 0x05,
    Heartbeat: 0x06,
    Ack: 0x07,
    Present: 0x10,
    Tamper: 0x11,
    InputChanged: 0x12,
    LedChanged: 0x13,
    Decision: 0x20,
    SetLed: 0x21,
    Identify: 0x22,
    Pulse: 0x23,
    Energize: 0x24,
    Reboot: 0x25,
}


def _wire_value(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Credential):
        # The credential's wire form names only the parts that are present.
        return {k: v for k, v in _wire_object(value).items() if v is not None}
    return value


# Field names per message class, looked up once: dataclasses.fields() is slow per call.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_ENCODER = json.JSONEncoder(separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _wire_object(msg: Any, skip: str | None = None) -> dict[str, object]:
    return {
        name: _wire_value(getattr(msg, name)) for name in _field_names(type(msg)) if name != skip
    }


def _body(code: int, obj: dict[str, object]) -> bytes:
    return bytes((code,)) + _ENCODER.encode(obj).encode("utf-8")


def encode(msg: Message) -> bytes:
    """Encode a message into a frame body.

    Args:
        msg: Any link message.

    Returns:
        The type byte followed by the canonical compact JSON of the message's fields.
    """
    return _body(TYPE_CODES[type(msg)], _wire_object(msg))


def encode_unsigned_welcome(msg: Welcome) -> bytes:
    """Encode a ``Welcome`` without its signature: the bytes the controller signs over.

    Args:
        msg: The welcome (its ``signature`` is ignored).

    Returns:
        The frame body of the welcome with the ``signature`` field left out.
    """
    return _body(TYPE_CODES[Welcome], _wire_object(msg, skip="signature"))


def _reject_constant(name: str) -> object:
    raise ValueError(f"non-finite number {name}")


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj: dict[str, object] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"duplicate key {key!r}")
        obj[key] = value
    return obj


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)


def _credential(r: FieldReader) -> Credential:
    inner = r.nested("credential")
    wiegand, uid, ndef = inner.opt_text("wiegand"), inner.opt_text("uid"), inner.opt_text("ndef")
    phone_unlocked = inner.opt_boolean("phone_unlocked")
    inner.finish()
    return Credential(wiegand=wiegand, uid=uid, ndef=ndef, phone_unlocked=phone_unlocked)


_Decoder = Callable[[FieldReader], Message]

_DECODERS: dict[int, tuple[str, _Decoder]] = {
    0x01: (
        "Hello",
        lambda r: Hello(
            proto=r.integer("proto"),
            kind=r.enum("kind", DeviceKind),
            serial=r.text("serial"),
            model=r.text("model"),
            firmware=r.text("firmware"),
            mac=r.text("mac"),
            identity_key=r.b64("identity_key"),
            ephemeral=r.b64("ephemeral"),
            nonce=r.b64("nonce"),
        ),
    ),
    0x02: (
        "Welcome",
        lambda r: Welcome(
            controller_key=r.b64("controller_key"),
            ephemeral=r.b64("ephemeral"),
            nonce=r.b64("nonce"),
            signature=r.b64("signature"),
        ),
    ),
    0x03: (
        "Auth",
        lambda r: Auth(
            signature=r.b64("signature"),
            token_id=r.text("token_id"),
            token_proof=r.text("token_proof"),
            enrolment_id=r.opt_text("enrolment_id"),
            enrolment_proof=r.opt_text("enrolment_proof"),
        ),
    ),
    0x04: (
        "Accepted",
        lambda r: Accepted(
            state=r.enum("state", AdmissionState),
            assigned=r.boolean("assigned"),
            name=r.opt_text("name"),
        ),
    ),
    0x05: ("Rejected", lambda r: Rejected(reason=r.text("reason"))),
    0x06: ("Heartbeat", lambda r: Heartbeat()),
    0x07: ("Ack", lambda r: Ack(seq=r.integer("seq"))),
    0x10: ("Present", lambda r: Present(seq=r.integer("seq"), credential=_credential(r))),
    0x11: ("Tamper", lambda r: Tamper(active=r.boolean("active"))),
    0x12: (
        "InputChanged",
        lambda r: InputChanged(channel=r.integer("channel"), state=r.enum("state", InputState)),
    ),
    0x13: ("LedChanged", lambda r: LedChanged(state=r.enum("state", LedState))),
    0x20: (
        "Decision",
        lambda r: Decision(
            seq=r.integer("seq"),
            granted=r.boolean("granted"),
            code=r.opt_text("code"),
            message=r.text("message"),
        ),
    ),
    0x21: (
        "SetLed",
        lambda r: SetLed(state=r.enum("state", LedState), seconds=r.opt_number("seconds")),
    ),
    0x22: ("Identify", lambda r: Identify(seconds=r.number("seconds"))),
    0x23: ("Pulse", lambda r: Pulse(channel=r.integer("channel"), seconds=r.number("seconds"))),
    0x24: ("Energize", lambda r: Energize(channel=r.integer("channel"), on=r.boolean("on"))),
    0x25: ("Reboot", lambda r: Reboot()),
}


def decode(data: bytes) -> Message:
    """Decode a frame body into a message.

    Args:
        data: The frame body (type byte + UTF-8 JSON object).

    Returns:
        The decoded, validated message.

    Raises:
        LinkDecodeError: If anything about the body is wrong; the error shows the bad value.
    """
    if not data:
        raise LinkDecodeError("empty frame body", data)
    entry = _DECODERS.get(data[0])
    if entry is None:
        raise LinkDecodeError(f"unknown message type 0x{data[0]:02x}", data)
    name, build = entry
    try:
        obj = _DECODER.decode(data[1:].decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        # ValueError covers bad UTF-8, bad JSON, duplicate keys and absurdly long integers;
        # RecursionError a deeply nested body.
        raise LinkDecodeError(f"{name}: body is not valid JSON ({show(str(exc))})", data) from None
    if not isinstance(obj, dict):
        raise LinkDecodeError(f"{name}: body must be a JSON object, got {show(obj)}", data)
    reader = FieldReader(obj, data, name)
    try:
        # The reader checks each field's JSON type; the constructor checks ranges and formats.
        msg = build(reader)
    except ValueError as exc:
        raise reader.fail(str(exc)) from None
    reader.finish()
    return msg
