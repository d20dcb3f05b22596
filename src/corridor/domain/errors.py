"""The small hierarchy of refusals. Each carries the HTTP status it maps to;
`api/problems.py` turns them into RFC 9457 problem+json, the CLI into one line."""

from __future__ import annotations


class CorridorError(Exception):
    status = 400
    title = "Refused"
    slug = "refused"

    def __init__(self, detail: str, *, field: str | None = None, errors: list[dict] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.errors = errors or []


class BadInput(CorridorError):
    """A value is malformed: a coordinate out of range, a negative capacity, a bad time."""

    status = 422
    title = "Invalid input"
    slug = "invalid-input"


class OutOfTime(BadInput):
    """A well-formed time the operation's clock refuses now: ahead of the clock, before the operation (or the
    event it follows). Answered 409 like a rule refusing it now (it depends on the clock and the operation, not
    on the value's form); still bad input to the importers and the CLI, which list it with the rest."""

    status = 409
    title = "Refused by an operational rule"
    slug = "refused-by-rule"


class MistypedToken(BadInput):
    """A token of the right form whose check symbol fails: no token was ever made so (mistyped or misread).
    Answered 404 like any token that names nobody; still bad input to the importers and the CLI."""

    status = 404
    title = "Not found"
    slug = "not-found"


class NotFound(CorridorError):
    """An unknown token, trip, site or vehicle."""

    status = 404
    title = "Not found"
    slug = "not-found"


class Conflict(CorridorError):
    """The same command id was sent before with different content, or the thing exists already."""

    status = 409
    title = "Conflict"
    slug = "conflict"


class RuleRefused(CorridorError):
    """Well-formed, but an operational rule refuses it now (halted, over capacity, not departed)."""

    status = 409
    title = "Refused by an operational rule"
    slug = "refused-by-rule"


class ItemsRefused(BadInput):
    """A batch refused whole, every item's refusal listed (`errors`, each with its status). Answered as its items
    were: 422 when one of them is malformed, else 409 when one is refused by a rule or a conflict now, else 404
    (each names something unknown). Still bad input to the importers and the CLI."""

    def __init__(self, detail: str, *, field: str | None = None, errors: list[dict] | None = None,
                 refusals: list[CorridorError] = ()):
        super().__init__(detail, field=field, errors=errors)
        chosen = next((r for status in (422, 409, 404) for r in refusals if r.status == status),
                      refusals[0] if refusals else self)
        self.status, self.title, self.slug = chosen.status, chosen.title, chosen.slug


class Unauthenticated(CorridorError):
    """No credentials, or credentials that are wrong, expired or revoked (answered with WWW-Authenticate)."""

    status = 401
    title = "Authentication required"
    slug = "unauthenticated"


class Forbidden(CorridorError):
    """Authenticated, but the account's role lacks the permission, or the account is limited to other sites."""

    status = 403
    title = "Forbidden"
    slug = "forbidden"

    def __init__(self, detail: str, *, permission: str | None = None, site: str | None = None,
                 field: str | None = None):
        super().__init__(detail, field=field)
        self.permission, self.site = permission, site


class TooManyAttempts(CorridorError):
    """Too many failed logins for an account or from an address: try again after `retry_after` seconds."""

    status = 429
    title = "Too many attempts"
    slug = "too-many-attempts"

    def __init__(self, detail: str, *, retry_after: int):
        super().__init__(detail)
        self.retry_after = max(1, int(retry_after))
