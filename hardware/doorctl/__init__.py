"""The door controller device (relays, inputs) and its simulated twin."""
