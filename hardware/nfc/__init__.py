"""NFC and LF card readers at the front desk: nfcpy front-ends, tag emulators, keyboard wedges."""
