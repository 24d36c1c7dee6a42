"""Create, read, update and delete the site model's resources, with their rules.

Both the REST API and the desktop app call this; neither writes SQL of its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from app.access.credentials import (
    FORMAT_OF_CARD_TYPE,
    SECURED_HF_CARD_TYPE,
    CredentialError,
    normalize_uid,
)
from app.access.roles import ROLES
from app.access.wiegand import FORMATS, WiegandError, encode
from app.controller.audit import AuditTrail, Event
from app.controller.errors import Conflict, NotFound, ValidationFailed, invalid
from app.controller.fields import parse_fields
from app.controller.paging import Page, parse_int, window
from app.controller.presenters import Presenter
from app.controller.resources import (
    CARD_ASSIGNMENTS,
    CARDS,
    GROUP_LINKS,
    GROUP_LOCKS,
    GROUPS,
    HF_CARD_TYPES,
    LOCKS,
    LOGINS,
    PLACES,
    RELAY_CONNECTIONS,
    ROLE_ASSIGNMENTS,
    USERS,
    ResourceSpec,
)
from app.controller.secrets import new_secret, secret_digest
from app.controller.store import ConstraintError, Row, Store

# Events written when these resources are created, as the public API names them.
CREATE_EVENTS = {
    PLACES.name: ("place.create", "Place"),
    LOCKS.name: ("lock.create", "Lock"),
    GROUPS.name: ("group.create", "Group"),
    USERS.name: ("user.create", "User"),
    CARDS.name: ("card.create", "Card"),
    CARD_ASSIGNMENTS.name: ("card.assign", "Card"),
    ROLE_ASSIGNMENTS.name: ("role_assignment.create", "RoleAssignment"),
    GROUP_LOCKS.name: ("group_lock.create", "GroupLock"),
    GROUP_LINKS.name: ("group_link.create", "GroupLink"),
}
SCOPE_TABLES = {"Organization": "organizations", "Place": "places", "Group": "groups"}


class Actor:
    """Who is acting, for the audit trail."""

    def __init__(self, kind: str, actor_id: int | None, name: str | None) -> None:
        self.kind = kind
        self.id = actor_id
        self.name = name


SYSTEM = Actor("System", None, "Lintel")


class SiteService:
    """The site model's resources with validation, uniqueness rules and audit events."""

    def __init__(self, store: Store, audit: AuditTrail, presenter: Presenter, org_id: int) -> None:
        self.store = store
        self.audit = audit
        self.presenter = presenter
        self.organization_id = org_id

    # --- reading -------------------------------------------------------------------------------

    def row(self, spec: ResourceSpec, row_id: int) -> Row:
        """The stored row of a resource.

        Raises:
            NotFound: no such id.
        """
        found = self.store.get(spec.table, row_id)
        if found is None:
            raise NotFound(f"{spec.resource_type} {row_id} not found")
        return found

    def get(self, spec: ResourceSpec, row_id: int) -> dict[str, Any]:
        """One resource as the API shows it."""
        return self.presenter.present(spec, self.row(spec, row_id))

    def list(self, spec: ResourceSpec, params: Mapping[str, str]) -> Page:
        """A page of a resource, filtered by the spec's query parameters and ``query``."""
        limit, offset = window(params, spec.default_limit)
        where: list[str] = []
        args: list[Any] = []
        for param, column in spec.filters.items():
            if param in params:
                value: Any = params[param]
                if column.endswith("_id") or column in ("id", "facility_code", "card_number"):
                    value = parse_int(value, param)
                where.append(f"{column} = ?")
                args.append(value)
        query = params.get("query")
        if query and spec.search:
            where.append("(" + " OR ".join(f"{c} LIKE ?" for c in spec.search) + ")")
            args.extend(f"%{query}%" for _ in spec.search)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        total = int(self.store.scalar(f"SELECT count(*) FROM {spec.table}{clause}", args))
        rows = self.store.rows(
            f"SELECT * FROM {spec.table}{clause} ORDER BY {spec.order} LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )
        return Page([self.presenter.present(spec, r) for r in rows], offset, total)

    def list_locks_of_groups(self, group_ids: Sequence[int], params: Mapping[str, str]) -> Page:
        """A page of the doors linked to any of these groups (what a member may open)."""
        limit, offset = window(params, LOCKS.default_limit)
        if not group_ids:
            return Page([], offset, 0)
        marks = ", ".join("?" for _ in group_ids)
        clause = f" WHERE id IN (SELECT lock_id FROM group_locks WHERE group_id IN ({marks}))"
        total = int(self.store.scalar(f"SELECT count(*) FROM locks{clause}", group_ids))
        rows = self.store.rows(
            f"SELECT * FROM locks{clause} ORDER BY id LIMIT ? OFFSET ?",
            [*group_ids, limit, offset],
        )
        return Page([self.presenter.present(LOCKS, r) for r in rows], offset, total)

    # --- writing -------------------------------------------------------------------------------

    def create(self, spec: ResourceSpec, body: Any, actor: Actor = SYSTEM) -> dict[str, Any]:
        """Validate and store a new resource; returns it as the API shows it.

        Raises:
            ValidationFailed: a field is wrong or a referenced object is missing.
            Conflict: a duplicate of something that must be unique.
        """
        values = parse_fields(spec.fields, body, creating=True)
        self._check_references(spec, values)
        values, revealed = self._prepare(spec, values, actor)
        with self.store.transaction():
            try:
                row_id = self.store.insert(spec.table, values)
            except ConstraintError as exc:
                raise self._duplicate(spec, exc) from exc
            created = self.get(spec, row_id)
            self._created_event(spec, created, actor)
        # Shown once, in the answer to the create, and never stored in the clear.
        return {**created, **revealed}

    def update(self, spec: ResourceSpec, row_id: int, body: Any, actor: Actor = SYSTEM) -> None:
        """Validate and apply a partial update.

        Raises:
            NotFound, ValidationFailed, Conflict.
        """
        self.row(spec, row_id)
        values = parse_fields(spec.fields, body, creating=False)
        self._check_references(spec, values)
        if "metadata" in values:
            values["metadata"] = _metadata(values["metadata"])
        try:
            self.store.update(spec.table, row_id, values)
        except ConstraintError as exc:
            raise self._duplicate(spec, exc) from exc

    def delete(self, spec: ResourceSpec, row_id: int, actor: Actor = SYSTEM) -> None:
        """Delete a resource.

        Raises:
            NotFound: no such id.
            Conflict: other objects still depend on it.
        """
        self.row(spec, row_id)
        try:
            self.store.delete(spec.table, row_id)
        except ConstraintError as exc:
            raise Conflict(
                f"{spec.resource_type} {row_id} is still in use; remove what refers to it first"
            ) from exc

    def card_values(self, body: Any) -> dict[str, Any]:
        """Validate a card body as ``POST /cards`` would, without storing it.

        Raises:
            ValidationFailed: a field is wrong.
        """
        values = parse_fields(CARDS.fields, body, creating=True)
        _check_card(values)
        return values

    # --- rules ---------------------------------------------------------------------------------

    def _check_references(self, spec: ResourceSpec, values: Mapping[str, Any]) -> None:
        errors: dict[str, list[str]] = {}
        for column, table in spec.references.items():
            ref = values.get(column)
            if ref is not None and self.store.get(table, ref) is None:
                errors[column] = ["does not exist"]
        if errors:
            raise ValidationFailed(errors)

    def _prepare(
        self, spec: ResourceSpec, values: dict[str, Any], actor: Actor
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        revealed: dict[str, Any] = {}
        if spec in (PLACES, USERS, GROUPS):
            values["organization_id"] = self.organization_id
        if spec is PLACES:
            values["time_zone"] = values.get("time_zone") or "UTC"
        elif spec is USERS:
            values["metadata"] = _metadata(values.get("metadata") or {})
        elif spec is CARDS:
            _check_card(values)
        elif spec is ROLE_ASSIGNMENTS:
            self._check_role_assignment(values)
            values["created_by_type"], values["created_by_id"] = actor.kind, actor.id
        elif spec is CARD_ASSIGNMENTS:
            if self.store.get("users", values["assignee_id"]) is None:
                raise invalid("assignee_id", "does not exist")
            # New assignments start activated: enrolling a card is meant to give access now.
            values["status"] = "activated"
            values["created_by_type"], values["created_by_id"] = actor.kind, actor.id
        elif spec is RELAY_CONNECTIONS:
            relay = self.store.get("controller_relays", values["relay_id"])
            if relay is not None and relay["kind"] != "door":
                raise invalid("relay_id", "is the AUX relay, which cannot drive a door")
            values.setdefault("duration", 5.0)
        elif spec is LOGINS:
            secret = new_secret()
            values["secret_hash"] = secret_digest(secret)
            revealed = {"secret": secret}
        elif spec is GROUP_LINKS:
            start, end = values.get("valid_from"), values.get("valid_until")
            if start and end and end <= start:
                raise invalid("valid_until", "must be after valid_from")
            secret = new_secret()
            values["secret_hash"] = secret_digest(secret)
            values["created_by_type"], values["created_by_id"] = actor.kind, actor.id
            revealed = {
                "secret": secret,
                "quick_response_code_token": None,
                "quick_response_code_image": None,
            }
        return values, revealed

    def _check_role_assignment(self, values: Mapping[str, Any]) -> None:
        role = ROLES[values["role_id"]]
        scope = values["applies_to_type"]
        if role.applies_to.value != scope:
            raise invalid("role_id", f"does not apply to {scope} (it applies to {role.applies_to})")
        if self.store.get(SCOPE_TABLES[scope], values["applies_to_id"]) is None:
            raise invalid("applies_to_id", "does not exist")
        if self.store.get("users", values["assignee_id"]) is None:
            raise invalid("assignee_id", "does not exist")
        start, end = values.get("valid_from"), values.get("valid_until")
        if scope != "Group" and (start or end):
            raise invalid("valid_from", "only group role assignments take validity dates")
        if start and end and end <= start:
            raise invalid("valid_until", "must be after valid_from")

    def set_card_activation(
        self, assignment_id: int, activated: bool, actor: Actor = SYSTEM
    ) -> None:
        """Switch a given card on or off (``POST /card_assignments/{id}/activate``).

        Raises:
            NotFound: no such card assignment.
        """
        row = self.row(CARD_ASSIGNMENTS, assignment_id)
        status = "activated" if activated else "deactivated"
        self.store.update(CARD_ASSIGNMENTS.table, assignment_id, {"status": status})
        self.audit.record(
            Event(
                type=f"card.{'activate' if activated else 'deactivate'}",
                actor_type=actor.kind,
                actor_id=actor.id,
                actor_name=actor.name,
                object_type="Card",
                object_id=int(row["card_id"]),
            )
        )

    def _duplicate(self, spec: ResourceSpec, exc: ConstraintError) -> Exception:
        text = str(exc)
        if spec is CARDS and "UNIQUE" in text:
            return Conflict("A card with the same identifiers is already enrolled", "cabbeb")
        if "UNIQUE" in text:
            column = text.rsplit(".", 1)[-1]
            return ValidationFailed({column: ["has already been taken"]})
        return ValidationFailed({"base": ["refers to something that does not exist"]})

    def _created_event(self, spec: ResourceSpec, obj: Mapping[str, Any], actor: Actor) -> None:
        kind = CREATE_EVENTS.get(spec.name)
        if kind is None:
            return
        event_type, object_type = kind
        object_id = obj["card_id"] if spec is CARD_ASSIGNMENTS else obj["id"]
        self.audit.record(
            Event(
                type=event_type,
                actor_type=actor.kind,
                actor_id=actor.id,
                actor_name=actor.name,
                object_type=object_type,
                object_id=object_id,
                object_name=_object_name(spec, obj),
                place_id=obj.get("place_id"),
            )
        )


def _metadata(value: Mapping[str, Any]) -> str:
    if len(value) > 50:
        raise invalid("metadata", "may have at most 50 keys")
    for key, item in value.items():
        if len(key) > 50:
            raise invalid("metadata", "keys may be at most 50 characters")
        if not isinstance(item, str | int | float | bool) and item is not None:
            raise invalid("metadata", "values must be flat (string, number, boolean or null)")
        if isinstance(item, str) and len(item) > 500:
            raise invalid("metadata", "values may be at most 500 characters")
    return json.dumps(dict(value))


def _check_card(values: dict[str, Any]) -> None:
    card_type = values["type"]
    if card_type in HF_CARD_TYPES:
        if not values.get("uid"):
            raise invalid("uid", "can't be blank")
        try:
            values["uid"] = normalize_uid(values["uid"])
        except CredentialError as exc:
            raise invalid("uid", str(exc)) from exc
        values.pop("facility_code", None)
        values.pop("card_number", None)
        if card_type == SECURED_HF_CARD_TYPE and values.get("token"):
            values["token"] = values["token"].upper()
        else:
            values.pop("token", None)
        return
    fmt = FORMAT_OF_CARD_TYPE.get(card_type)
    needs_facility = (
        fmt is None or FORMATS.get(fmt, None) is None or (FORMATS[fmt].facility_code is not None)
    )
    errors: dict[str, list[str]] = {}
    if values.get("card_number") is None:
        errors["card_number"] = ["can't be blank"]
    if needs_facility and values.get("facility_code") is None:
        errors["facility_code"] = ["can't be blank"]
    if not needs_facility and values.get("facility_code") is not None:
        errors["facility_code"] = ["must be blank for this card type"]
    if errors:
        raise ValidationFailed(errors)
    if fmt in FORMATS:
        try:
            encode(fmt, values.get("facility_code"), values["card_number"])
        except WiegandError as exc:
            field = "facility_code" if "Facility" in str(exc) else "card_number"
            raise invalid(field, str(exc)) from exc
    values.pop("uid", None)
    values.pop("token", None)


def _object_name(spec: ResourceSpec, obj: Mapping[str, Any]) -> str | None:
    """A name people recognise for the audit trail."""
    if spec is CARDS:
        if obj.get("card_number") is not None:
            fmt = FORMAT_OF_CARD_TYPE.get(str(obj["type"]), str(obj["type"]))
            facility = obj.get("facility_code")
            number = obj["card_number"]
            return f"{fmt} {facility}:{number}" if facility is not None else f"{fmt} {number}"
        return f"HF {obj.get('uid')}"
    if spec is CARD_ASSIGNMENTS:
        return f"Card {obj['card_id']} to user {obj['assignee_id']}"
    if spec is ROLE_ASSIGNMENTS:
        applies = obj.get("applies_to") or {}
        assignee = obj.get("assignee") or {}
        who = assignee.get("name") or assignee.get("email") or f"user {obj['assignee_id']}"
        return f"{who} in {applies.get('name', obj['applies_to_type'])}"
    if spec is GROUP_LOCKS:
        group = obj.get("group") or {}
        lock = obj.get("lock") or {}
        return f"{lock.get('name')} for {group.get('name')}"
    name = obj.get("name") or obj.get("email")
    return None if name is None else str(name)
