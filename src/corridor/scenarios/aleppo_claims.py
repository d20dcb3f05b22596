"""Claims about the east Aleppo evacuation of December 2016 (about 30, from 11 bodies), for the tests and the demo:
`aleppo_claims_2016.json` beside this module says how they were written."""

from __future__ import annotations

import json
from pathlib import Path

CLAIMS_FILE = Path(__file__).with_name("aleppo_claims_2016.json")


def claims() -> list[dict]:
    return json.loads(CLAIMS_FILE.read_text(encoding="utf-8"))["claims"]
