"""The REST resources we mirror: their fields, tables, filters and paging defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.access import credentials, wiegand
from app.access.roles import ROLES, Permission
from app.controller.fields import FieldSpec, Kind

F = FieldSpec

# Every LF card type we can decode is one the API accepts, so the two lists cannot drift apart.
LF_CARD_TYPES = tuple(credentials.LF_CARD_TYPES.values())
# The widest facility code of any format (Corporate 1000 48-bit has 22 bits); each card type's
# own range is checked against its format when a card is saved.
MAX_FACILITY_CODE = max(
    f.facility_code.maximum for f in wiegand.FORMATS.values() if f.facility_code
)
MAX_CARD_NUMBER = max(f.card_number.maximum for f in wiegand.FORMATS.values())
HF_CARD_TYPES = ("third_party_hf", "mobile_credential", credentials.SECURED_HF_CARD_TYPE)


def _role_exists(value: object) -> str | None:
    return None if value in ROLES else "is not a known role (see GET /roles)"


@dataclass(frozen=True)
class ResourceSpec:
    """How one resource is stored and exposed."""

    name: str  # plural path segment, e.g. "locks"
    root: str  # body root key, e.g. "lock"
    table: str
    resource_type: str  # e.g. "Lock"
    fields: tuple[FieldSpec, ...] = ()
    booleans: frozenset[str] = frozenset()
    filters: dict[str, str] = field(default_factory=dict)  # query parameter -> column
    search: tuple[str, ...] = ()  # columns searched by ?query=
    default_limit: int = 10
    references: dict[str, str] = field(default_factory=dict)  # column -> referenced table
    hidden: frozenset[str] = frozenset()  # columns never shown
    order: str = "id"
    write: Permission = Permission.MANAGE_DOORS  # what a login needs to change it
    read: Permission = Permission.READ_SITE  # what a login needs to list and read it

    def __post_init__(self) -> None:
        flags = {f.stored_as for f in self.fields if f.kind is Kind.BOOLEAN}
        object.__setattr__(self, "booleans", frozenset(self.booleans | flags))


PLACES = ResourceSpec(
    "places",
    "place",
    "places",
    "Place",
    fields=(
        F("name", Kind.STRING, required=True, nullable=False, max_length=255),
        F("address", Kind.STRING, required=True, nullable=False, max_length=500),
        F("description", Kind.STRING, max_length=2000),
        F("time_zone", Kind.TIME_ZONE, nullable=False),
        F("latitude", Kind.NUMBER, minimum=-90, maximum=90),
        F("longitude", Kind.NUMBER, minimum=-180, maximum=180),
        F("image", Kind.STRING, max_length=2000),
    ),
    booleans=frozenset({"locked_down"}),
    search=("name", "address"),
    write=Permission.MANAGE_SITE,
)

LOCKS = ResourceSpec(
    "locks",
    "lock",
    "locks",
    "Lock",
    fields=(
        F("name", Kind.STRING, required=True, nullable=False, max_length=255),
        F("place_id", Kind.INTEGER, required=True, nullable=False, on_update=False),
        F("description", Kind.STRING, max_length=2000),
        F("latitude", Kind.NUMBER, minimum=-90, maximum=90),
        F("longitude", Kind.NUMBER, minimum=-180, maximum=180),
        F("geofence_restriction_enabled", Kind.BOOLEAN, nullable=False),
        F("reader_restriction_enabled", Kind.BOOLEAN, nullable=False),
        F("time_restriction_enabled", Kind.BOOLEAN, nullable=False),
        F("favorite", Kind.BOOLEAN, nullable=False),
        F("held_open_duration", Kind.NUMBER, nullable=False, minimum=1, maximum=3600),
        F("fail_mode", Kind.STRING, nullable=False, choices=("secure", "safe")),
        F("geofence_restriction_radius", Kind.NUMBER, nullable=False, minimum=10, maximum=100_000),
        F("two_factor_enabled", Kind.BOOLEAN, nullable=False),
    ),
    booleans=frozenset({"locked_down"}),
    filters={"place_id": "place_id"},
    search=("name", "description"),
    default_limit=50,
    references={"place_id": "places"},
)

GROUPS = ResourceSpec(
    "groups",
    "group",
    "groups",
    "Group",
    fields=(
        F("name", Kind.STRING, required=True, nullable=False, max_length=255),
        F("description", Kind.STRING, max_length=2000),
        F("place_id", Kind.INTEGER),
        F("login_enabled", Kind.BOOLEAN, nullable=False),
        F("geofence_restriction_enabled", Kind.BOOLEAN, nullable=False),
        F("reader_restriction_enabled", Kind.BOOLEAN, nullable=False),
        F("time_restriction_enabled", Kind.BOOLEAN, nullable=False),
    ),
    filters={"place_id": "place_id"},
    search=("name", "description"),
    references={"place_id": "places"},
)

GROUP_LOCKS = ResourceSpec(
    "group_locks",
    "group_lock",
    "group_locks",
    "GroupLock",
    fields=(
        F("group_id", Kind.INTEGER, required=True, nullable=False, on_update=False),
        F("lock_id", Kind.INTEGER, required=True, nullable=False, on_update=False),
    ),
    filters={"group_id": "group_id", "lock_id": "lock_id"},
    references={"group_id": "groups", "lock_id": "locks"},
)

USERS = ResourceSpec(
    "users",
    "user",
    "users",
    "User",
    fields=(
        F(
            "email",
            Kind.STRING,
            required=True,
            nullable=False,
            max_length=255,
            pattern=r"[^@\s]+@[^@\s]+",
        ),
        F("name", Kind.STRING, max_length=255),
        F("image", Kind.STRING, max_length=2000),
        F("notes", Kind.STRING, max_length=5000),
        F("send_emails", Kind.BOOLEAN, nullable=False),
        F("confirm", Kind.BOOLEAN, nullable=False, column="confirmed", on_update=False),
        F("access_enabled", Kind.BOOLEAN, nullable=False),
        F("metadata", Kind.OBJECT, nullable=False),
    ),
    search=("name", "email"),
    write=Permission.MANAGE_PEOPLE,
)

ROLE_ASSIGNMENTS = ResourceSpec(
    "role_assignments",
    "role_assignment",
    "role_assignments",
    "RoleAssignment",
    fields=(
        F(
            "role_id",
            Kind.STRING,
            required=True,
            nullable=False,
            on_update=False,
            check=_role_exists,
        ),
        F(
            "assignee_type",
            Kind.STRING,
            required=True,
            nullable=False,
            on_update=False,
            choices=("User",),
        ),
        F("assignee_id", Kind.INTEGER, required=True, nullable=False, on_update=False),
        F(
            "applies_to_type",
            Kind.STRING,
            required=True,
            nullable=False,
            on_update=False,
            choices=("Organization", "Place", "Group"),
        ),
        F("applies_to_id", Kind.INTEGER, required=True, nullable=False, on_update=False),
        F("notify", Kind.BOOLEAN, nullable=False),
        F("valid_from", Kind.DATETIME),
        F("valid_until", Kind.DATETIME),
    ),
    filters={
        "assignee_id": "assignee_id",
        "applies_to_id": "applies_to_id",
        "applies_to_type": "applies_to_type",
        "role_id": "role_id",
    },
    write=Permission.MANAGE_PEOPLE,
)

CARDS = ResourceSpec(
    "cards",
    "card",
    "cards",
    "Card",
    fields=(
        F(
            "type",
            Kind.STRING,
            required=True,
            nullable=False,
            on_update=False,
            choices=LF_CARD_TYPES + HF_CARD_TYPES,
        ),
        F("facility_code", Kind.INTEGER, on_update=False, minimum=0, maximum=MAX_FACILITY_CODE),
        F("card_number", Kind.INTEGER, on_update=False, minimum=0, maximum=MAX_CARD_NUMBER),
        F("uid", Kind.STRING, on_update=False, pattern=r"[0-9A-Fa-f]{6,20}"),
        # The signed credential's token of a site-secured card (32 hex digits).
        F("token", Kind.STRING, on_update=False, pattern=r"[0-9A-Fa-f]{32}"),
    ),
    filters={
        "facility_code": "facility_code",
        "card_number": "card_number",
        "uid": "uid",
        "card_id": "id",
    },
    search=("uid",),
    hidden=frozenset({"token"}),
    write=Permission.MANAGE_PEOPLE,
)

CARD_ASSIGNMENTS = ResourceSpec(
    "card_assignments",
    "card_assignment",
    "card_assignments",
    "CardAssignment",
    fields=(
        F("card_id", Kind.INTEGER, required=True, nullable=False, on_update=False),
        F(
            "assignee_type",
            Kind.STRING,
            required=True,
            nullable=False,
            on_update=False,
            choices=("User",),
        ),
        F("assignee_id", Kind.INTEGER, required=True, nullable=False, on_update=False),
        F("two_factor_pin", Kind.STRING, pattern=r"[0-9]{4}"),
        F("send_two_factor_pin_notification", Kind.BOOLEAN, nullable=False),
    ),
    filters={"card_id": "card_id", "assignee_id": "assignee_id", "status": "status"},
    references={"card_id": "cards"},
    write=Permission.MANAGE_PEOPLE,
)

READERS = ResourceSpec(
    "readers",
    "reader",
    "readers",
    "Reader",
    fields=(
        F("name", Kind.STRING, nullable=False, max_length=128),
        F("description", Kind.STRING, max_length=2000),
        F("lock_id", Kind.INTEGER, on_create=False),
        F("buzzer_enabled", Kind.BOOLEAN, nullable=False, on_create=False),
        F("tamper_enabled", Kind.BOOLEAN, nullable=False, on_create=False),
        F("place_id", Kind.INTEGER, required=True, nullable=False, on_update=False),
    ),
    booleans=frozenset({"tampered"}),
    filters={"place_id": "place_id", "lock_id": "lock_id", "model": "model"},
    search=("name", "serial", "token"),
    references={"lock_id": "locks", "place_id": "places"},
    hidden=frozenset({"identity_key", "proximity_key"}),
)

CONTROLLERS = ResourceSpec(
    "controllers",
    "controller",
    "controllers",
    "Controller",
    fields=(
        F("name", Kind.STRING, nullable=False, max_length=128),
        F("place_id", Kind.INTEGER, required=True, nullable=False, on_update=False),
    ),
    filters={"place_id": "place_id"},
    search=("name", "serial", "token"),
    references={"place_id": "places"},
    hidden=frozenset({"identity_key"}),
    write=Permission.MANAGE_SITE,
)

CONTROLLER_RELAYS = ResourceSpec(
    "controller_relays",
    "controller_relay",
    "controller_relays",
    "ControllerRelay",
    filters={"controller_id": "controller_id"},
    order="controller_id, channel",
)

CONTROLLER_INPUTS = ResourceSpec(
    "controller_inputs",
    "controller_input",
    "controller_inputs",
    "ControllerInput",
    fields=(
        F("name", Kind.STRING, nullable=False, max_length=255, on_create=False),
        F(
            "type",
            Kind.STRING,
            nullable=False,
            on_create=False,
            choices=("contact_sensor", "request_to_exit", "unused"),
        ),
        F("lock_id", Kind.INTEGER, on_create=False),
    ),
    filters={"controller_id": "controller_id", "lock_id": "lock_id"},
    references={"lock_id": "locks"},
    order="controller_id, channel",
)

RELAY_CONNECTIONS = ResourceSpec(
    "controller_relay_connections",
    "controller_relay_connection",
    "controller_relay_connections",
    "ControllerRelayConnection",
    fields=(
        F("type", Kind.STRING, required=True, nullable=False, choices=("lock",), on_update=False),
        F("relay_id", Kind.INTEGER, required=True, nullable=False, on_update=False),
        F("lock_id", Kind.INTEGER, required=True, nullable=False, on_update=False),
        F("duration", Kind.NUMBER, nullable=False, minimum=1, maximum=300),
    ),
    filters={"relay_id": "relay_id", "lock_id": "lock_id"},
    references={"relay_id": "controller_relays", "lock_id": "locks"},
)

GROUP_LINKS = ResourceSpec(
    "group_links",
    "group_link",
    "group_links",
    "GroupLink",
    fields=(
        F("group_id", Kind.INTEGER, required=True, nullable=False, on_update=False),
        F("name", Kind.STRING, required=True, nullable=False, max_length=255),
        F("email", Kind.STRING, max_length=255, pattern=r"[^@\s]+@[^@\s]+"),
        F("phone", Kind.STRING, pattern=r"\+1[0-9]{10}"),
        F("link_enabled", Kind.BOOLEAN, nullable=False),
        F("quick_response_code_type", Kind.STRING, choices=("online", "offline")),
        F("valid_from", Kind.DATETIME),
        F("valid_until", Kind.DATETIME),
    ),
    filters={"group_id": "group_id"},
    search=("name", "email"),
    references={"group_id": "groups"},
    hidden=frozenset({"secret_hash"}),
    write=Permission.MANAGE_PEOPLE,
)

LOGINS = ResourceSpec(
    "logins",
    "login",
    "logins",
    "Login",
    fields=(
        F("name", Kind.STRING, required=True, nullable=False, max_length=255),
        F(
            "role_id",
            Kind.STRING,
            required=True,
            nullable=False,
            on_update=False,
            check=_role_exists,
        ),
        F("user_id", Kind.INTEGER, on_update=False),
    ),
    filters={"user_id": "user_id", "role_id": "role_id"},
    search=("name",),
    references={"user_id": "users"},
    hidden=frozenset({"secret_hash"}),
    write=Permission.MANAGE_SITE,
    read=Permission.MANAGE_SITE,
)

ALL_RESOURCES = (
    LOGINS,
    GROUP_LINKS,
    PLACES,
    LOCKS,
    GROUPS,
    GROUP_LOCKS,
    USERS,
    ROLE_ASSIGNMENTS,
    CARDS,
    CARD_ASSIGNMENTS,
    READERS,
    CONTROLLERS,
    CONTROLLER_RELAYS,
    CONTROLLER_INPUTS,
    RELAY_CONNECTIONS,
)
