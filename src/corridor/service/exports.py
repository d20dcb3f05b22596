"""The HXL CSV exports, streamed: the picture, the claims, the operation per day, the persons (redacted unless
the caller may see names and asks; such an export is written to the access log)."""

from __future__ import annotations

from collections.abc import Iterator

from ..domain.errors import Forbidden
from ..domain.permissions import Permission, Principal
from ..formats import hxl
from ..store.queries import claims as qc
from . import access
from .claims import listing
from .picture import picture
from .runtime import Runtime

NAMED_FIELDS = ("name_ar", "name_latin", "birth_date")


def picture_csv(rt: Runtime, **options) -> Iterator[str]:
    return hxl.picture_csv(picture(rt, **options))


def claims_csv(rt: Runtime, **filters) -> Iterator[str]:
    return hxl.claims_csv(listing(rt, withdrawn=True, **filters))


def operation_csv(rt: Runtime) -> Iterator[str]:
    with rt.reading() as uow:
        days, places = qc.operation_days(uow.conn), qc.site_places(uow.conn)
    return hxl.operation_csv(days, places)


def persons_csv(rt: Runtime, viewer: Principal, *, with_names: bool = False) -> Iterator[str]:
    """Every person: state, places, sex and age group. With names (tokens, names, birth dates) only for a viewer
    who may see them all; that export is logged before its first byte."""
    if with_names:
        if not all(viewer.sees(f) for f in NAMED_FIELDS):
            raise Forbidden("with_names: names and birth dates are not shown to this role; export without them",
                            permission=Permission.LOOKUP.value, field="with_names")
        with rt.reading() as uow:
            count = qc.person_count(uow.conn)
        access.record(rt, viewer, access.PERSONS_EXPORT, "", count=count)
    year = rt.clock().year

    def chunks() -> Iterator[str]:
        with rt.reading() as uow:
            yield from hxl.persons_csv(qc.person_rows(uow.conn, opened=with_names), with_names=with_names, year=year)

    return chunks()
