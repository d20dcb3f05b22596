"""The registrar's duplicates screen (/desk/duplicates): when the last check ran, how many persons it covered and
how many were registered since; a button to run a check; the open pairs, highest score first, both registrations
side by side with the evidence in the screen's language (`service.duplicates.evidence_lines`); per pair "same person: keep this
one" (a merge, the registrar choosing the record kept) or "two people" (a dismissal), with an optional note;
the pairs decided lately, each with its undo (the pair open again, a merged record a person of its own again).

The page's script sends the decisions to the API (/api/duplicates/...) through the desks' outbox, under an
idempotency key; a pair another registrar decided meanwhile is answered 409 and the screen says so. The list is
read through `service.duplicates.candidates`, which records the read in the access log. It lists persons by name,
so it is never kept on the device (as the medic's and protection officer's screens). `?part=main` answers only
the list (what the script puts in place after a check or a decision)."""

from __future__ import annotations

import re
from typing import Callable

from fastapi import FastAPI, Request, Response

from ...domain.permissions import Permission
from ...service import duplicates, reports
from ...service.runtime import Runtime

PATH = "/desk/duplicates"
SHOWN = 100  # pairs on the screen at once, highest score first: the next appear as these are decided
DECIDED_SHOWN = 20  # decided pairs shown with their undo, the latest first
SIGNED = re.compile(r"([+-]\d+(?:\.\d+)?)")  # a weight: shown left to right inside an Arabic line ("+1.90", not "1.90+")


def pieces(line: str) -> list[tuple[str, bool]]:
    """A line cut into (text, is a signed number) pieces, for the page to isolate the numbers' direction."""
    return [(piece, k % 2 == 1) for k, piece in enumerate(SIGNED.split(line)) if piece]


def install_duplicates(app: FastAPI, rt: Runtime, declare: Callable[[Permission | None], object], page) -> None:
    """The screen; `page` is the desk's page maker (routes.install)."""

    def evidence_lines(evidence: dict, lang: str) -> list[dict]:
        """A pair's evidence as lines in the page's language, each with its depth (a name's parts indented)."""
        return [{"pieces": pieces(line.strip()), "sub": line.startswith("  ")}
                for line in duplicates.evidence_lines(rt, evidence, lang)]

    @app.get(PATH, include_in_schema=False, dependencies=[declare(Permission.DUPLICATES)])
    def duplicates_desk(request: Request, lang: str | None = None, part: str | None = None) -> Response:
        principal = request.state.principal
        # two reads, each recorded in the access log: the open pairs shown, and the latest decided (to undo one);
        # only the pairs shown are read (a check of 100,000 persons finds thousands)
        found = duplicates.candidates(rt, viewer=principal, statuses=("open",), limit=SHOWN)
        decided = duplicates.candidates(rt, viewer=principal, statuses=("merged", "dismissed"), limit=DECIDED_SHOWN,
                                        latest_first=True)["pairs"]
        response = page(request, "duplicates", principal, lang, {
            "part": "main" if part == "main" else None, "personal": True, "found": found,
            "pairs": found["pairs"], "open_pairs": found["total"], "decided": decided,
            "evidence_lines": evidence_lines,
            "sites": {s["code"]: s for s in reports.setup(rt)["sites"]}})
        response.headers["X-Desk-Keep"] = "no"  # a list of persons by name is never kept on the device
        return response
