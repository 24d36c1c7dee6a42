"""The site area: places, doors, schedules, groups, people and their cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.controller.resources import (
    CARD_ASSIGNMENTS,
    CARDS,
    GROUP_LOCKS,
    GROUPS,
    LOCKS,
    PLACES,
    ROLE_ASSIGNMENTS,
    USERS,
    ResourceSpec,
)
from app.ui.bridge import ControllerBridge
from app.ui.card_import_dialog import CardImportDialog
from app.ui.dialogs import DialogService
from app.ui.doors_view import DoorsView
from app.ui.errors import explain
from app.ui.schedule_editor import ScheduleEditor
from app.ui.widgets import Feedback, fill_combo, named
from app.ui.zones_view import ZonesView

ALL = {"limit": "250"}


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[tuple[Any, list[str]]]) -> None:
    selected = _selected_id(table)
    table.setRowCount(len(rows))
    for r, (row_id, cells) in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row_id)
            table.setItem(r, c, item)
        if row_id == selected:
            table.selectRow(r)


def _selected_id(table: QTableWidget) -> Any:
    items = table.selectedItems()
    return items[0].data(Qt.ItemDataRole.UserRole) if items else None


class SiteArea(QWidget):
    """Tabs for places, doors, schedules, groups and people.

    Doors (:mod:`app.ui.doors_view`) and schedules (:mod:`app.ui.schedule_editor`) are views of
    their own; the other tabs are a list with a form below it.
    """

    def __init__(
        self,
        bridge: ControllerBridge,
        parent: QWidget | None = None,
        dialogs: DialogService | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.controller = bridge.controller
        self.site = self.controller.site
        self.feedback = Feedback()
        self.dialogs = dialogs
        self.import_dialog: CardImportDialog | None = None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("siteTabs")
        self.doors_view = DoorsView(bridge, dialogs, self.feedback)
        self.doors = self.doors_view.model  # the doors table's rows
        self.door_name = self.doors_view.door_name
        self.schedules = ScheduleEditor(bridge, dialogs, self.feedback)
        self.tabs.addTab(self._places_page(), "Places")
        self.tabs.addTab(self.doors_view, "Doors")
        self.tabs.addTab(self.schedules, "Schedules")
        self.zones = ZonesView(bridge)
        self.tabs.addTab(self.zones, "Zones")
        self.tabs.addTab(self._groups_page(), "Groups")
        self.tabs.addTab(self._people_page(), "People and cards")
        self.tabs.currentChanged.connect(lambda _index: self.feedback.clear())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.feedback)
        bridge.site_changed.connect(self.refresh)
        self.refresh()

    # --- helpers -------------------------------------------------------------------------------

    def _create(self, spec: ResourceSpec, body: dict[str, Any], done: str) -> dict[str, Any] | None:
        try:
            created = self.site.create(spec, body)
        except Exception as exc:
            self.feedback.error(explain(exc))
            return None
        self.feedback.success(done)
        self.bridge.site_changed.emit()
        return created

    def _page(self, table: QTableWidget, form: QFormLayout, *buttons: QPushButton) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(table, 1)
        layout.addLayout(form)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    @staticmethod
    def _button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # --- places --------------------------------------------------------------------------------

    def _places_page(self) -> QWidget:
        self.places = _table("placesTable", ["Name", "Address", "Time zone", "Doors"])
        self.place_name = named(QLineEdit(), "placeName")
        self.place_address = named(QLineEdit(), "placeAddress")
        self.place_zone = named(QComboBox(), "placeZone")
        self.place_zone.setEditable(True)
        self.place_zone.addItems(sorted(available_timezones()))
        self.place_zone.setCurrentText("UTC")
        form = QFormLayout()
        form.addRow("Name", self.place_name)
        form.addRow("Address", self.place_address)
        form.addRow("Time zone", self.place_zone)
        return self._page(self.places, form, self._button("Add place", "addPlace", self.add_place))

    def add_place(self) -> None:
        """Create a place from the form."""
        name = self.place_name.text().strip()
        if self._create(
            PLACES,
            {
                "name": name,
                "address": self.place_address.text().strip(),
                "time_zone": self.place_zone.currentText().strip(),
            },
            f"Added place {name}.",
        ):
            self.place_name.clear()
            self.place_address.clear()

    # --- groups --------------------------------------------------------------------------------

    def _groups_page(self) -> QWidget:
        self.groups = _table("groupsTable", ["Group", "Doors"])
        self.groups.itemSelectionChanged.connect(self._show_group_doors)
        self.group_name = named(QLineEdit(), "groupName")
        self.group_doors = named(QListWidget(), "groupDoors")
        self.group_doors.setMaximumHeight(110)
        form = QFormLayout()
        form.addRow("Name", self.group_name)
        form.addRow("Doors of the selected group", self.group_doors)
        return self._page(
            self.groups,
            form,
            self._button("Add group", "addGroup", self.add_group),
            self._button("Save doors", "saveGroupDoors", self.save_group_doors),
        )

    def add_group(self) -> None:
        """Create a group from the form."""
        name = self.group_name.text().strip()
        if self._create(GROUPS, {"name": name}, f"Added group {name}."):
            self.group_name.clear()

    def _show_group_doors(self) -> None:
        group_id = _selected_id(self.groups)
        linked = set()
        if group_id is not None:
            linked = {
                g["lock_id"]
                for g in self.site.list(
                    GROUP_LOCKS, {"group_id": str(group_id), "limit": "250"}
                ).items
            }
        for i in range(self.group_doors.count()):
            item = self.group_doors.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in linked
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def save_group_doors(self) -> None:
        """Link the selected group to exactly the checked doors."""
        group_id = _selected_id(self.groups)
        if group_id is None:
            self.feedback.error("Select a group first.")
            return
        current = {
            g["lock_id"]: g["id"]
            for g in self.site.list(GROUP_LOCKS, {"group_id": str(group_id), "limit": "250"}).items
        }
        try:
            for i in range(self.group_doors.count()):
                item = self.group_doors.item(i)
                lock_id = item.data(Qt.ItemDataRole.UserRole)
                wanted = item.checkState() == Qt.CheckState.Checked
                if wanted and lock_id not in current:
                    self.site.create(GROUP_LOCKS, {"group_id": group_id, "lock_id": lock_id})
                elif not wanted and lock_id in current:
                    self.site.delete(GROUP_LOCKS, current[lock_id])
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        self.feedback.success("Saved the group's doors.")
        self.bridge.site_changed.emit()

    # --- people --------------------------------------------------------------------------------

    def _people_page(self) -> QWidget:
        self.people = _table("peopleTable", ["Name", "E-mail", "Groups", "Cards"])
        self.person_name = named(QLineEdit(), "personName")
        self.person_email = named(QLineEdit(), "personEmail")
        self.person_group = named(QComboBox(), "personGroup")
        self.card_facility = named(QSpinBox(), "cardFacility")
        self.card_facility.setRange(0, 255)
        self.card_number = named(QSpinBox(), "cardNumber")
        self.card_number.setRange(0, 65535)
        form = QFormLayout()
        form.addRow("Name", self.person_name)
        form.addRow("E-mail", self.person_email)
        form.addRow("Group", self.person_group)
        form.addRow("Card facility code (H10301)", self.card_facility)
        form.addRow("Card number", self.card_number)
        return self._page(
            self.people,
            form,
            self._button("Add person", "addPerson", self.add_person),
            self._button("Give card to selected person", "giveCard", self.give_card),
            self._button("Import cards from CSV…", "import_cards", self.import_cards),
        )

    def add_person(self) -> None:
        """Create a user and put them in the chosen group."""
        name = self.person_name.text().strip()
        user = self._create(
            USERS, {"name": name, "email": self.person_email.text().strip()}, f"Added {name}."
        )
        if user is None:
            return
        group_id = self.person_group.currentData()
        if group_id is not None:
            self._create(
                ROLE_ASSIGNMENTS,
                {
                    "role_id": "group_basic",
                    "assignee_type": "User",
                    "assignee_id": user["id"],
                    "applies_to_type": "Group",
                    "applies_to_id": group_id,
                },
                f"Added {name} to {self.person_group.currentText()}.",
            )
        self.person_name.clear()
        self.person_email.clear()

    def give_card(self) -> None:
        """Enrol an H10301 card and assign it to the selected person."""
        user_id = _selected_id(self.people)
        if user_id is None:
            self.feedback.error("Select a person first.")
            return
        card = self._create(
            CARDS,
            {
                "type": "third_party_lf_hid_h10301",
                "facility_code": self.card_facility.value(),
                "card_number": self.card_number.value(),
            },
            "Card enrolled.",
        )
        if card is not None:
            self._create(
                CARD_ASSIGNMENTS,
                {"card_id": card["id"], "assignee_type": "User", "assignee_id": user_id},
                "Card enrolled and given.",
            )

    def import_cards(self) -> None:
        """Open the CSV card import; the lists refresh when it closes."""
        dialog = CardImportDialog(self.controller.card_imports, self.dialogs, self)
        dialog.finished.connect(lambda _result: self._import_closed(dialog))
        self.import_dialog = dialog
        # open(), not exec(): a nested event loop would re-enter the loop qasync drives.
        dialog.open()

    def _import_closed(self, dialog: CardImportDialog) -> None:
        if dialog.result_text:
            self.feedback.success(dialog.result_text)
        self.bridge.site_changed.emit()
        self.import_dialog = None
        dialog.deleteLater()

    # --- refresh -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload every list and picker from the controller."""
        places = self.site.list(PLACES, ALL).items
        _fill(
            self.places,
            [
                (p["id"], [p["name"], p["address"], p["time_zone"], str(p["locks_count"])])
                for p in places
            ],
        )
        groups = self.site.list(GROUPS, ALL).items
        group_names = {g["id"]: g["name"] for g in groups}
        locks = self.site.list(LOCKS, ALL).items
        lock_names = {lk["id"]: lk["name"] for lk in locks}
        _fill(
            self.groups,
            [
                (
                    g["id"],
                    [
                        g["name"],
                        ", ".join(
                            lock_names.get(gl["lock_id"], "?")
                            for gl in self.site.list(
                                GROUP_LOCKS, {"group_id": str(g["id"]), "limit": "250"}
                            ).items
                        ),
                    ],
                )
                for g in groups
            ],
        )
        self.group_doors.clear()
        for lk in locks:
            item = QListWidgetItem(f"{lk['name']} ({lk['place']['name']})")
            item.setData(Qt.ItemDataRole.UserRole, lk["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.group_doors.addItem(item)
        self._show_group_doors()
        fill_combo(self.person_group, [("No group", None)] + [(g["name"], g["id"]) for g in groups])
        rows = []
        for user in self.site.list(USERS, ALL).items:
            roles = self.site.list(
                ROLE_ASSIGNMENTS, {"assignee_id": str(user["id"]), "limit": "250"}
            ).items
            member_of = [
                group_names.get(r["applies_to_id"], "?")
                for r in roles
                if r["applies_to_type"] == "Group"
            ]
            cards = self.site.list(
                CARD_ASSIGNMENTS, {"assignee_id": str(user["id"]), "limit": "250"}
            ).items
            shown = [self._card_text(c["card_id"]) for c in cards]
            rows.append(
                (
                    user["id"],
                    [user["name"] or "", user["email"], ", ".join(member_of), ", ".join(shown)],
                )
            )
        _fill(self.people, rows)

    def _card_text(self, card_id: int) -> str:
        card = self.site.get(CARDS, card_id)
        if card.get("card_number") is not None:
            return f"{card['facility_code']}:{card['card_number']}"
        return str(card.get("uid"))
