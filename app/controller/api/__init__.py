"""The REST API (aiohttp), shaped like the public API we mirror."""
