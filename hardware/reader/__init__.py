"""The reader device: its LED model and its simulated twin (the protocol is ``hardware.link``)."""
