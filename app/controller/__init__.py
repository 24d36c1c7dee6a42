"""The local controller service: store, REST API, device server and audit trail (no Qt)."""
