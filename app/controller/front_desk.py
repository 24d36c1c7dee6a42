"""What the front desk does to people and their cards, in the words of the person at the desk.

A thin service over :class:`~app.controller.site.SiteService`: it finds and creates people,
enrols a card *and* gives it to a person in one step (both or neither), switches cards on and
off, keeps a person's groups, and reads their recent events. Errors are
:class:`FrontDeskError` (or the site's own ``ControllerError``), whose message is safe to show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.access.credentials import (
    FORMAT_OF_CARD_TYPE,
    LF_CARD_TYPES,
    PHONE_CARD_TYPE,
    SECURED_HF_CARD_TYPE,
)
from app.controller.errors import Conflict, ControllerError, ValidationFailed, invalid
from app.controller.event_log import EventLog
from app.controller.resources import (
    CARD_ASSIGNMENTS,
    CARDS,
    GROUPS,
    HF_CARD_TYPES,
    ROLE_ASSIGNMENTS,
    USERS,
)
from app.controller.site import Actor, SiteService

DUPLICATE_CARD = "cabbeb"
GROUP_MEMBER_ROLE = "group_basic"
_ALL = {"limit": "250"}
FRONT_DESK = Actor("System", None, "Front desk")


class FrontDeskError(ControllerError):
    """A front-desk action that cannot be done; the message says what to do instead."""

    code = "afc422"


@dataclass(frozen=True)
class Person:
    """Someone who may get cards: a user of the site."""

    id: int
    name: str
    email: str

    @property
    def label(self) -> str:
        """How the desk shows them: "Jane Doe <jane@example.com>"."""
        return f"{self.name} <{self.email}>" if self.name else self.email

    @property
    def short(self) -> str:
        """Their name, or their e-mail when they have none."""
        return self.name or self.email


@dataclass(frozen=True)
class PersonCard:
    """One of a person's cards as the desk lists it."""

    assignment_id: int
    card_id: int
    label: str
    activated: bool


def card_label(card: Mapping[str, Any]) -> str:
    """A card as people recognise it: "H10301 118:1603", "NFC 5A1B2C… (site-secured)"."""
    card_type = str(card.get("type"))
    fmt = FORMAT_OF_CARD_TYPE.get(card_type)
    if fmt is not None:
        facility, number = card.get("facility_code"), card.get("card_number")
        return f"{fmt} {facility}:{number}" if facility is not None else f"{fmt} {number}"
    uid = str(card.get("uid") or "")
    short = uid[:6] + "…" if len(uid) > 6 else uid
    if card_type == SECURED_HF_CARD_TYPE:
        return f"NFC {short} (site-secured)"
    if card_type == PHONE_CARD_TYPE:
        return f"Phone {short}"
    return f"NFC {short} (UID only)"


def lf_card_body(format_name: str, facility_code: int | None, card_number: int) -> dict[str, Any]:
    """The ``POST /cards`` body of an LF card of a Wiegand format.

    Raises:
        ValidationFailed: the format is not one Lintel reads.
    """
    card_type = LF_CARD_TYPES.get(format_name)
    if card_type is None:
        raise invalid("type", f"{format_name} is not a card format Lintel reads")
    body: dict[str, Any] = {"type": card_type, "card_number": card_number}
    if facility_code is not None:
        body["facility_code"] = facility_code
    return body


def _person(row: Mapping[str, Any]) -> Person:
    return Person(int(row["id"]), str(row.get("name") or ""), str(row["email"]))


class FrontDesk:
    """People, their cards and groups, for the front-desk area. Runs on the controller's loop."""

    def __init__(self, site: SiteService, event_log: EventLog) -> None:
        self._site = site
        self._events = event_log

    # --- people --------------------------------------------------------------------------------

    def find_people(self, query: str, limit: int = 50) -> list[Person]:
        """People whose name or e-mail contains ``query`` (everyone when it is blank)."""
        params = {"limit": str(limit)}
        if query.strip():
            params["query"] = query.strip()
        return [_person(u) for u in self._site.list(USERS, params).items]

    def person(self, person_id: int) -> Person:
        """One person.

        Raises:
            NotFound: no such person.
        """
        return _person(self._site.get(USERS, person_id))

    def create_person(self, name: str, email: str) -> Person:
        """Add a person.

        Raises:
            FrontDeskError: someone already has this e-mail.
            ValidationFailed: the e-mail is missing or not an e-mail address.
        """
        try:
            created = self._site.create(USERS, {"name": name.strip(), "email": email.strip()})
        except ValidationFailed as exc:
            if "has already been taken" in exc.errors.get("email", []):
                raise FrontDeskError(
                    f"Someone with the e-mail {email.strip()} is already here. "
                    "Find them with the search box instead."
                ) from exc
            raise
        return _person(created)

    # --- groups --------------------------------------------------------------------------------

    def groups(self) -> list[tuple[int, str]]:
        """Every group as (id, name), in the order they were created."""
        return [(int(g["id"]), str(g["name"])) for g in self._site.list(GROUPS, _ALL).items]

    def _group_roles(self, person_id: int) -> list[dict[str, Any]]:
        params = {"assignee_id": str(person_id), "applies_to_type": "Group", **_ALL}
        return self._site.list(ROLE_ASSIGNMENTS, params).items

    def groups_of(self, person_id: int) -> set[int]:
        """The ids of the groups the person has any role in."""
        return {int(r["applies_to_id"]) for r in self._group_roles(person_id)}

    def set_groups(self, person_id: int, group_ids: Iterable[int]) -> None:
        """Make the person a member of exactly these groups (one transaction).

        Leaving a group removes every role the person had in it; joining one makes them a
        plain member (``group_basic``).
        """
        wanted = set(group_ids)
        roles = self._group_roles(person_id)
        have = {int(r["applies_to_id"]) for r in roles}
        with self._site.store.transaction():
            for role in roles:
                if int(role["applies_to_id"]) not in wanted:
                    self._site.delete(ROLE_ASSIGNMENTS, int(role["id"]))
            for group_id in sorted(wanted - have):
                self._site.create(
                    ROLE_ASSIGNMENTS,
                    {
                        "role_id": GROUP_MEMBER_ROLE,
                        "assignee_type": "User",
                        "assignee_id": person_id,
                        "applies_to_type": "Group",
                        "applies_to_id": group_id,
                    },
                )

    # --- cards ---------------------------------------------------------------------------------

    def cards_of(self, person_id: int) -> list[PersonCard]:
        """The person's cards, oldest first."""
        params = {"assignee_id": str(person_id), **_ALL}
        cards = []
        for assignment in self._site.list(CARD_ASSIGNMENTS, params).items:
            card = self._site.get(CARDS, int(assignment["card_id"]))
            cards.append(
                PersonCard(
                    int(assignment["id"]),
                    int(card["id"]),
                    card_label(card),
                    assignment["status"] == "activated",
                )
            )
        return cards

    def check_uid_free(self, uid: str) -> None:
        """Refuse an HF card whose UID is enrolled already, under any HF card type.

        Called before anything is written to a tapped card, so a card that already opens
        doors for someone is never overwritten.

        Raises:
            FrontDeskError: code ``cabbeb``, naming who holds the card.
        """
        for card in self._site.list(CARDS, {"uid": uid.upper(), **_ALL}).items:
            if card["type"] in HF_CARD_TYPES:
                raise self._duplicate(card)

    def enrol(self, person_id: int, card_body: Mapping[str, Any]) -> PersonCard:
        """Enrol a card and give it to the person, activated, in one transaction.

        Args:
            person_id: Who gets the card.
            card_body: As for ``POST /cards`` (``type`` and its identifiers).

        Raises:
            FrontDeskError: code ``cabbeb`` when the card is enrolled already.
            ValidationFailed: the card's numbers are wrong for its type.
            NotFound: no such person.
        """
        self._site.row(USERS, person_id)
        values = self._site.card_values(card_body)
        self._check_free(values)
        try:
            with self._site.store.transaction():
                card = self._site.create(CARDS, dict(card_body))
                assignment = self._site.create(
                    CARD_ASSIGNMENTS,
                    {"card_id": card["id"], "assignee_type": "User", "assignee_id": person_id},
                )
        except Conflict as exc:
            # Someone else enrolled the same card between our check and our write.
            if exc.code == DUPLICATE_CARD:
                self._check_free(values)
            raise
        return PersonCard(int(assignment["id"]), int(card["id"]), card_label(card), True)

    def set_activated(self, assignment_id: int, activated: bool) -> None:
        """Switch a given card on or off, as ``POST /card_assignments/{id}/activate`` does.

        Raises:
            NotFound: no such card assignment.
        """
        self._site.set_card_activation(assignment_id, activated, FRONT_DESK)

    def _check_free(self, values: Mapping[str, Any]) -> None:
        """Raise the duplicate error when a card with these (validated) identifiers exists."""
        if values.get("uid"):
            self.check_uid_free(str(values["uid"]))
            return
        params = {"card_number": str(values["card_number"]), **_ALL}
        for card in self._site.list(CARDS, params).items:
            same_facility = card.get("facility_code") == values.get("facility_code")
            if card["type"] == values["type"] and same_facility:
                raise self._duplicate(card)

    def _duplicate(self, card: Mapping[str, Any]) -> FrontDeskError:
        holder_id = card.get("user_id")
        if holder_id is None:
            return FrontDeskError(
                "This card is already enrolled, but not given to anyone. Use another card.",
                DUPLICATE_CARD,
            )
        holder = self.person(int(holder_id)).short
        return FrontDeskError(
            f"This card is already enrolled (to {holder}). "
            "Take it back from them first, or use another card.",
            DUPLICATE_CARD,
        )

    # --- events --------------------------------------------------------------------------------

    def recent_events(self, person_id: int, count: int = 20) -> list[dict[str, Any]]:
        """The person's newest events (their doors opened or refused), newest first."""
        return self._events.page({"user_id": str(person_id)}, count, 0).items
