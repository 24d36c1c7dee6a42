"""``lintel device-sim``: simulated readers and door controllers with a JSON control API."""
