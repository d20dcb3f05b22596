"""Reading the views. The only code that reads the view tables.

Personal fields are sealed in the views (store/crypto.py). A query that returns them returns them
**opened**: rows of persons come back as `Opened` rows (attributes and ``_mapping`` like a row) with
``name_ar``, ``name_latin``, ``birth_date`` (ISO text), ``vulnerabilities`` (comma-separated),
``medical_notes``, ``held_reason`` in the clear and ``erased`` True/False; for an erased household the
names read ``[erased]`` (`crypto.ERASED`) and the other personal fields None. The opening uses the
vault the unit of work puts on its connection (``conn.info["vault"]``); without a usable key such a
query refuses with `crypto.KeyUnavailable`, saying which key is missing and where it is looked for.
Queries of counts, states and movements never need the key."""

from .opening import Opened, vault_of, open_persons, open_reason, CHUNK, chunked  # noqa: F401
from .operation import operation_row, operation_time_zone, site_kind, all_sites, all_legs, leg_exists, all_vehicles, vehicle_exists, ledger_seq, corridor_rules_row, available_vehicles, site_codes, last_event_at, latest_times  # noqa: F401
from .persons import tokens_taken, person_status, household_statuses, person_detail, household_detail, waiting_persons, assigned_persons, household_members, persons_by_tokens, precedences, links_of, children, persons_for_matching, households_named, household_row, settled_households, persons_registered_since, households_for_cards, persons_with_deadlines  # noqa: F401
from .trips import trip_persons, trip_status, trips_in, trip_row, trip_manifest, trip_counts, latest_plan, plan_count, trip_count, passages_of, manifest_lines, halt_timeline, last_resumed_at, trip_destinations, latest_plan_payload  # noqa: F401
from .figures import person_state_counts, trip_state_counts, household_count, precedence_counts, waiting_by_site, received_by_centre  # noqa: F401
from .care import medical_cases, held_persons, linked_persons, trips_by_id, last_passages, places  # noqa: F401
from .duplicates import pair_evidence, count_duplicate_pairs, duplicate_pairs_in, duplicate_pair, last_duplicate_check, open_high_pairs  # noqa: F401
from .road import convoy_status, private_vehicle_count, minutes_between, left_by, aboard_by_trip, trip_events, vehicle_row, trip_driver, vehicles_lost  # noqa: F401
from .agreement import agreement_versions_in, agreement_in_force, linked_latest, linked_history, linked_incidents_in, notifications_issued_in, overrides_in, categories_of, category_row, categories_waiting, left_count, left_with_category, waiting_at, trip_aboard, boarded_persons  # noqa: F401
