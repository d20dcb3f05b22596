"""Submissions of corridor's registration form, exported from KoboToolbox or ODK Central.

One submission is one household: ``gathering_point``, ``destination`` ("any" = no
preference), ``token`` (a pre-printed household card, optional) and the repeat group
``persons`` (``name_ar``, ``name_latin``, ``sex``, ``birth_year``, ``birth_date``,
``relationship``, ``mobility``, ``precedence``, ``vulnerabilities`` as a space-separated
select_multiple, ``person_token``). Fields are matched on the last component of their
path, so groups around them (``group_xyz/persons/name_ar``, ``meta-instanceID``) do not
matter.

Layouts read by :func:`read_kobo`:

- JSON: a KoboToolbox export or API v2 ``{"results": [...]}``, a plain list of
  submissions, or ODK Central's OData ``{"value": [...]}`` (nested groups);
- one CSV (or spreadsheet) where each row is a submission and persons are columns
  ``persons[1]/name_ar``, ``persons[2]/name_ar`` … (wide), or each row is a person with
  columns ``persons/name_ar`` and the rows of one submission are consecutive and share
  its instanceID (long);
- two CSVs: ODK Central's main CSV and its repeat CSV ``<form>-persons.csv`` joined by
  KEY/PARENT_KEY (or KoboToolbox's ``_uuid``/``_submission__uuid``,
  ``_index``/``_parent_index``) — pass the repeat file as ``repeat_path``; ODK Central's
  export zip (both inside); a KoboToolbox XLSX export (repeat on the sheet ``persons``).

Each submission is keyed by its instanceID (``uuid:…``): the service uses it as the
command id, so an upload imported twice adds nothing. In one file, a submission given
twice with the same content is kept once; with different content the second is a
``conflict`` problem. A submission edited on the server carries ``deprecated_id`` (the
instanceID it replaces); an edited one replaces the one it deprecates in the same file.
"""

from .fields import ID_FIELDS, PERSON_FIELDS, REPEAT, SUBMISSION_FIELDS, KoboBatch, KoboSubmission, field_name
from .reader import read_kobo, read_submissions

__all__ = ["ID_FIELDS", "PERSON_FIELDS", "REPEAT", "SUBMISSION_FIELDS", "KoboBatch", "KoboSubmission", "field_name",
           "read_kobo",
           "read_submissions"]
