"""The SQLite schema of the site model and the audit trail."""

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS organizations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, domain TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS places (
    id INTEGER PRIMARY KEY, organization_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL, address TEXT NOT NULL, description TEXT, time_zone TEXT NOT NULL,
    latitude REAL, longitude REAL, image TEXT,
    locked_down INTEGER NOT NULL DEFAULT 0, locked_down_since TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS locks (
    id INTEGER PRIMARY KEY, place_id INTEGER NOT NULL REFERENCES places(id),
    name TEXT NOT NULL, description TEXT, latitude REAL, longitude REAL,
    geofence_restriction_enabled INTEGER NOT NULL DEFAULT 0,
    reader_restriction_enabled INTEGER NOT NULL DEFAULT 0,
    time_restriction_enabled INTEGER NOT NULL DEFAULT 0,
    favorite INTEGER NOT NULL DEFAULT 0,
    locked_down INTEGER NOT NULL DEFAULT 0, locked_down_since TEXT,
    unlock_duration REAL NOT NULL DEFAULT 5, held_open_duration REAL NOT NULL DEFAULT 30,
    fail_mode TEXT NOT NULL DEFAULT 'secure',
    geofence_restriction_radius REAL NOT NULL DEFAULT 300,
    two_factor_enabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS controllers (
    id INTEGER PRIMARY KEY, place_id INTEGER REFERENCES places(id), name TEXT NOT NULL,
    serial TEXT NOT NULL UNIQUE, token TEXT NOT NULL UNIQUE, model TEXT, firmware TEXT, mac TEXT,
    identity_key BLOB NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS controller_relays (
    id INTEGER PRIMARY KEY,
    controller_id INTEGER NOT NULL REFERENCES controllers(id) ON DELETE CASCADE,
    channel INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    UNIQUE (controller_id, channel));

CREATE TABLE IF NOT EXISTS controller_inputs (
    id INTEGER PRIMARY KEY,
    controller_id INTEGER NOT NULL REFERENCES controllers(id) ON DELETE CASCADE,
    channel INTEGER NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL DEFAULT 'unused',
    lock_id INTEGER REFERENCES locks(id) ON DELETE SET NULL, state TEXT, updated_at TEXT,
    UNIQUE (controller_id, channel));

CREATE TABLE IF NOT EXISTS controller_relay_connections (
    id INTEGER PRIMARY KEY, type TEXT NOT NULL,
    relay_id INTEGER NOT NULL UNIQUE REFERENCES controller_relays(id) ON DELETE CASCADE,
    lock_id INTEGER NOT NULL REFERENCES locks(id) ON DELETE CASCADE,
    duration REAL NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS readers (
    id INTEGER PRIMARY KEY, place_id INTEGER REFERENCES places(id),
    lock_id INTEGER REFERENCES locks(id) ON DELETE SET NULL,
    name TEXT NOT NULL, description TEXT, serial TEXT NOT NULL UNIQUE,
    token TEXT NOT NULL UNIQUE, model TEXT, firmware TEXT, mac TEXT, identity_key BLOB NOT NULL,
    buzzer_enabled INTEGER NOT NULL DEFAULT 1, tamper_enabled INTEGER NOT NULL DEFAULT 1,
    tampered INTEGER NOT NULL DEFAULT 0, proximity_key BLOB,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS readers_lock ON readers(lock_id);

CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY, organization_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT, email TEXT NOT NULL UNIQUE COLLATE NOCASE, image TEXT, notes TEXT,
    access_enabled INTEGER NOT NULL DEFAULT 1, confirmed INTEGER NOT NULL DEFAULT 0,
    send_emails INTEGER NOT NULL DEFAULT 0, metadata TEXT NOT NULL DEFAULT '{}',
    last_accessed_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS groups (
    id INTEGER PRIMARY KEY, organization_id INTEGER NOT NULL REFERENCES organizations(id),
    place_id INTEGER REFERENCES places(id), name TEXT NOT NULL, description TEXT,
    login_enabled INTEGER NOT NULL DEFAULT 1,
    geofence_restriction_enabled INTEGER NOT NULL DEFAULT 0,
    reader_restriction_enabled INTEGER NOT NULL DEFAULT 0,
    time_restriction_enabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS group_locks (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    lock_id INTEGER NOT NULL REFERENCES locks(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (group_id, lock_id));
CREATE INDEX IF NOT EXISTS group_locks_lock ON group_locks(lock_id);

CREATE TABLE IF NOT EXISTS role_assignments (
    id INTEGER PRIMARY KEY, role_id TEXT NOT NULL,
    assignee_type TEXT NOT NULL, assignee_id INTEGER NOT NULL,
    applies_to_type TEXT NOT NULL, applies_to_id INTEGER NOT NULL,
    notify INTEGER NOT NULL DEFAULT 0, valid_from TEXT, valid_until TEXT,
    created_by_type TEXT, created_by_id INTEGER,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS role_assignments_assignee
    ON role_assignments(assignee_type, assignee_id);

CREATE TABLE IF NOT EXISTS cards (
    id INTEGER PRIMARY KEY, type TEXT NOT NULL, uid TEXT, facility_code INTEGER,
    card_number INTEGER, token TEXT, last_used_at TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS cards_numbers
    ON cards(type, ifnull(facility_code, -1), card_number) WHERE card_number IS NOT NULL;
-- One physical HF card is one card, whatever type it was enrolled as: a UID-only card and a
-- site-secured card with the same UID would let a bare copy of the UID in. Presented HF cards
-- and phones are looked up by UID alone, too.
DROP INDEX IF EXISTS cards_uid;
DROP INDEX IF EXISTS cards_by_uid;
CREATE UNIQUE INDEX IF NOT EXISTS cards_one_per_uid ON cards(uid) WHERE uid IS NOT NULL;

CREATE TABLE IF NOT EXISTS card_assignments (
    id INTEGER PRIMARY KEY, card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    assignee_type TEXT NOT NULL, assignee_id INTEGER NOT NULL, status TEXT NOT NULL,
    two_factor_pin TEXT, send_two_factor_pin_notification INTEGER NOT NULL DEFAULT 0,
    created_by_type TEXT, created_by_id INTEGER,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS card_assignments_card ON card_assignments(card_id);

CREATE TABLE IF NOT EXISTS logins (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE,
    role_id TEXT NOT NULL, user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL, updated_at TEXT, last_used_at TEXT);

CREATE TABLE IF NOT EXISTS group_links (
    id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    name TEXT NOT NULL, email TEXT, phone TEXT, link_enabled INTEGER NOT NULL DEFAULT 1,
    quick_response_code_type TEXT, valid_from TEXT, valid_until TEXT,
    secret_hash TEXT NOT NULL UNIQUE, created_by_type TEXT, created_by_id INTEGER,
    issued_by_id INTEGER, last_used_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS schedules (
    id INTEGER PRIMARY KEY, type TEXT NOT NULL, scheduleable_type TEXT NOT NULL,
    scheduleable_id INTEGER NOT NULL, consequence TEXT NOT NULL, enabled INTEGER NOT NULL,
    body TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS schedules_target ON schedules(scheduleable_type, scheduleable_id);
CREATE TRIGGER IF NOT EXISTS schedules_of_deleted_lock AFTER DELETE ON locks BEGIN
    DELETE FROM schedules WHERE scheduleable_type = 'Lock' AND scheduleable_id = OLD.id; END;
CREATE TRIGGER IF NOT EXISTS schedules_of_deleted_group AFTER DELETE ON groups BEGIN
    DELETE FROM schedules WHERE scheduleable_type = 'Group' AND scheduleable_id = OLD.id; END;

CREATE TABLE IF NOT EXISTS zones (
    id INTEGER PRIMARY KEY,
    controller_id INTEGER NOT NULL REFERENCES controllers(id) ON DELETE CASCADE,
    name TEXT NOT NULL, definition TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS csv_card_imports (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, file_name TEXT NOT NULL, status TEXT NOT NULL,
    import_errors TEXT NOT NULL DEFAULT '{}', total INTEGER NOT NULL DEFAULT 0,
    imported INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, type TEXT NOT NULL, action TEXT NOT NULL,
    created_at TEXT NOT NULL, actor_type TEXT, actor_id INTEGER, actor_name TEXT,
    actor_email TEXT, authenticated_by_type TEXT, authenticated_by_id INTEGER,
    authorized_by_type TEXT, authorized_by_id INTEGER, authorized_by_role_id TEXT,
    object_type TEXT, object_id INTEGER, object_name TEXT, success INTEGER NOT NULL,
    message TEXT, code TEXT, error_code TEXT, error_message TEXT,
    organization_id INTEGER, place_id INTEGER, via TEXT, reader_id INTEGER);
CREATE INDEX IF NOT EXISTS events_created ON events(created_at);
CREATE INDEX IF NOT EXISTS events_object ON events(object_type, object_id);
CREATE TRIGGER IF NOT EXISTS events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

CREATE TABLE IF NOT EXISTS event_sets (
    id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, status TEXT NOT NULL,
    filters TEXT NOT NULL, place_id INTEGER);
"""

# Columns added after a table first shipped: (table, column, declaration). Opening an older
# database adds the missing ones, so a site keeps its data across upgrades.
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("locks", "geofence_restriction_radius", "REAL NOT NULL DEFAULT 300"),
    ("readers", "proximity_key", "BLOB"),
    ("logins", "updated_at", "TEXT"),
    ("controller_inputs", "updated_at", "TEXT"),
    ("locks", "two_factor_enabled", "INTEGER NOT NULL DEFAULT 0"),
)
