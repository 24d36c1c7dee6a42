"""The desktop app: Qt views, one area per role, on the controller's asyncio loop (qasync)."""
