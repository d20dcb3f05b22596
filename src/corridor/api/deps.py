"""What every route takes: the runtime (from app.state) and the record's Meta (from the principal, the
Idempotency-Key and the body). The actor is the authenticated account, never a header the client chose;
X-Device only labels a device within the account."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request, Response

from ..domain.errors import BadInput
from ..domain.permissions import Principal
from ..service import accounts
from ..service.recording import Meta, Receipt
from ..service.runtime import Runtime
from .auth import Viewer
from .schemas import KEY_PATTERN

CREATED = {"status_code": 201}


# The dependencies that only read the request are `async def`: FastAPI runs a plain `def` dependency in its thread
# pool, and a handoff to a thread and back costs more than the work (several per request, every boarding scan).


async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


class MetaFactory:
    """Builds the Meta of a command from the request's headers and the body's `at`."""

    def __init__(self, key: str | None, principal: Principal, verify=None):
        self.key, self.actor, self.device = key, principal.account, principal.device
        self.principal = principal
        self.verify = verify  # the sender verified again in the command's transaction (auth.CommandRequirement)

    def __call__(self, body=None) -> Meta:
        """The Meta of the request's one command: its id is the Idempotency-Key."""
        return self.item(body, self.key)

    def item(self, body, command_id: str | None) -> Meta:
        """The Meta of one item of a batch, under the item's own command id."""
        return Meta(command_id=command_id, actor=self.actor, device=self.device, at=getattr(body, "at", None),
                    verify=self.verify)


async def record_meta(
    request: Request,
    principal: Viewer,
    key: str = Header(None, alias="Idempotency-Key", min_length=1, max_length=100, pattern=KEY_PATTERN,
                             description="the client's id for this command (1–100 printable characters); "
                                         "a resend with the same key and content is absorbed"),
    device: str = Header(None, alias="X-Device", description="labels the device within the account "
                                                                    "(its first 100 characters are kept)"),
) -> MetaFactory:
    if (await request.body()).strip() == b"null":
        raise BadInput("body: null is not a command; send an object, or no body at all", field="body")
    token_hash = getattr(request.state, "verify_token", None)
    if token_hash is None:
        return MetaFactory(key, principal)
    rt = request.app.state.runtime
    return MetaFactory(key, principal, lambda conn: accounts.verify_in(conn, rt, token_hash, principal))


Rt = Annotated[Runtime, Depends(get_runtime)]
MetaOf = Annotated[MetaFactory, Depends(record_meta)]


def answer(receipt: Receipt, response: Response) -> dict:
    """A receipt: 201 when recorded now, 200 (and Idempotent-Replayed) when it was a resend."""
    response.status_code = 200 if receipt.replayed else 201
    if receipt.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return receipt.as_dict()


def fields(body, *skip: str) -> dict:
    return body.model_dump(exclude={"at", *skip})
