"""The demo operation, modelled on the east Aleppo evacuation of December 2016.

Places, fleet and sizes follow the public facts in shared/scenarios/east-aleppo-2016.md;
the people are synthetic, generated deterministically from a seed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .names import NameGenerator

ALEPPO = timezone(timedelta(hours=2))
START = datetime(2016, 12, 15, 5, 0, tzinfo=ALEPPO)
TIME_ZONE = "Asia/Damascus"  # the zone the demo's times are shown in (UTC+2 in December 2016)
DEMO_NAME = "East Aleppo evacuation (demo)"
YEAR = 2016

SITES = [
    # code, kind, English, Arabic, lat, lon, capacity
    ("GP-AMI", "gathering_point", "al-Amiriyah crossing", "معبر العامرية", 36.170, 37.120, None),
    ("GP-SAL", "gathering_point", "Salaheddine", "صلاح الدين", 36.190, 37.130, None),
    ("GP-SUK", "gathering_point", "al-Sukkari", "السكري", 36.180, 37.150, None),
    ("CP-RAM", "checkpoint", "Ramouseh road", "طريق الراموسة", 36.165, 37.140, None),
    ("CP-WBP", "checkpoint", "Western bypass", "الطريق الغربي", 36.175, 37.060, None),
    ("TP-KAS", "transit_point", "Khan al-Assal", "خان العسل", 36.170, 37.030, None),
    ("RC-IDL", "reception_centre", "Idlib city", "مدينة إدلب", 35.930, 36.630, 70_000),
    ("RC-ATB", "reception_centre", "Western rural Aleppo (Atarib)", "ريف حلب الغربي (الأتارب)", 36.140, 36.830, 45_000),
]

LEGS = [
    ("GP-AMI", "CP-RAM", 10),
    ("GP-SAL", "CP-RAM", 15),
    ("GP-SUK", "CP-RAM", 12),
    ("CP-RAM", "CP-WBP", 25),
    ("CP-WBP", "TP-KAS", 15),
    ("TP-KAS", "RC-ATB", 45),
    ("TP-KAS", "RC-IDL", 90),
]

GATHERING_SHARE = (("GP-AMI", 0.45), ("GP-SAL", 0.30), ("GP-SUK", 0.25))
DESTINATION_SHARE = (("RC-IDL", 0.68), ("RC-ATB", 0.27), (None, 0.05))


def setup_spec(buses: int = 30, ambulances: int = 10, later_buses: int = 20) -> dict:
    """Sites, legs and fleet of the demo, in the shape `service.setup.load_setup` reads."""
    vehicles = []
    for i in range(1, buses + later_buses + 1):
        later = i > buses
        vehicles.append({
            "code": f"BUS-{i:02d}", "plate": f"SARC-B{100 + i}", "kind": "bus", "seats": 50, "stretchers": 0,
            "operator": "SARC", "site": "GP-AMI",
            "available_from": (START + timedelta(hours=30 if later else 0)).isoformat(),
        })
    for i in range(1, ambulances + 1):
        vehicles.append({
            "code": f"AMB-{i:02d}", "plate": f"{'ICRC' if i % 2 else 'SARC'}-A{i:02d}", "kind": "ambulance",
            "seats": 4, "stretchers": 2, "operator": "ICRC" if i % 2 else "SARC", "site": "GP-AMI",
            "available_from": START.isoformat(),
        })
    return {
        "operation": {"name_en": DEMO_NAME, "name_ar": "إجلاء شرق حلب (تجريبي)",
                      "starts_at": START.isoformat(), "boarding_minutes": 20, "unloading_minutes": 15,
                      "time_zone": TIME_ZONE},
        "sites": [{"code": c, "kind": k, "name_en": en, "name_ar": ar, "lat": lat, "lon": lon, "capacity": cap}
                  for c, k, en, ar, lat, lon, cap in SITES],
        "legs": [{"origin": a, "destination": b, "minutes": m} for a, b, m in LEGS],
        "vehicles": vehicles,
        # as negotiated for the demo: convoys of at most 10 vehicles, 15 minutes apart, and each checkpoint
        # letting through at most 50 vehicles an hour; open day and night (halts are handled by resuming)
        "corridor_rules": {"convoy_size": 10, "convoy_gap_minutes": 15,
                           "checkpoint_rates": {"CP-RAM": 50, "CP-WBP": 50}, "windows": [],
                           "note": "terms of the demo agreement"},
    }


def _pick(rng: random.Random, shares):
    x, total = rng.random(), 0.0
    for value, share in shares:
        total += share
        if x < total:
            return value
    return shares[-1][0]


@dataclass
class Population:
    households: list[dict]  # in the shape `service.registration.register_households` reads
    persons: int
    urgent: int
    stretcher: int


class _Builder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names = NameGenerator(rng)

    def person(self, sex: str, family, father, relationship: str, age: int, **extra) -> dict:
        return self.named(self.names.person(sex, family, father), sex, relationship, age, **extra)

    def named(self, name, sex: str, relationship: str, age: int, **extra) -> dict:
        vulns = list(extra.pop("vulnerabilities", []))
        if age >= 60:
            vulns.append("older_person")
        if self.rng.random() < 0.02:
            vulns.append("disability")
        mobility = "needs_help" if (age >= 75 or "disability" in vulns) and self.rng.random() < 0.5 else "walks"
        return {"name_ar": name.arabic, "name_latin": name.latin, "sex": sex, "birth_year": YEAR - age,
                "relationship": relationship, "mobility": mobility, "precedence": "none",
                "vulnerabilities": sorted(set(vulns)), **extra}

    def family(self, size: int) -> list[dict]:
        rng = self.rng
        family = self.names.family()
        female_head = rng.random() < 0.15
        head_age = rng.randint(22, 70)
        head_sex = "female" if female_head else "male"
        head_name = self.names.person(head_sex, family, None)
        members = [self.named(head_name, head_sex, "head", head_age)]
        if not female_head and size > 1:
            age = max(18, head_age - rng.randint(0, 8))
            wife = self.person("female", self.names.family(), None, "spouse", age)
            if 18 <= age <= 45 and rng.random() < 0.08:
                wife["vulnerabilities"] = sorted({*wife["vulnerabilities"], "pregnancy"})
            members.append(wife)
        # children carry their father's given name: the head's, or a father not registered here
        father = (head_name.given_ar, head_name.given_en) if not female_head else self.names.male_given()
        while len(members) < size:
            if rng.random() < 0.1 and head_age < 55:
                members.append(self.person(rng.choice(("male", "female")), self.names.family(), None, "parent",
                                           min(100, head_age + rng.randint(20, 30))))
                continue
            sex = rng.choice(("male", "female"))
            members.append(self.person(sex, family, father, "child", rng.randint(0, max(0, head_age - 18))))
        return members

    def orphanage(self, children: int, staff: int) -> list[dict]:
        """A group of unaccompanied children with their carers (one of 47 was reported)."""
        out = []
        for _ in range(staff):
            sex = self.rng.choice(("male", "female"))
            out.append(self.person(sex, self.names.family(), None, "not_related", self.rng.randint(25, 60)))
        out[0]["relationship"] = "head"
        for _ in range(children):
            sex = self.rng.choice(("male", "female"))
            out.append(self.person(sex, self.names.family(), None, "not_related", self.rng.randint(4, 15),
                                   vulnerabilities=["unaccompanied_child"]))
        return out


def population(people: int = 100_000, seed: int = 2016) -> Population:
    """About `people` persons in households of about five, deterministic for the seed."""
    rng = random.Random(seed)
    b = _Builder(rng)
    households: list[dict] = []
    count = 0
    if people >= 1000:
        group = b.orphanage(47, 3)
        households.append({"gathering_point": "GP-SUK", "destination": "RC-IDL", "persons": group})
        count += len(group)
    while count < people:
        size = min(people - count, max(1, min(14, round(rng.gauss(5.2, 2.2)))))
        members = b.family(size)
        households.append({"gathering_point": _pick(rng, GATHERING_SHARE),
                           "destination": _pick(rng, DESTINATION_SHARE), "persons": members})
        count += size
    urgent = max(2, math.ceil(people * 75 / 100_000))
    _medical(rng, households, urgent)
    everyone = [p for h in households for p in h["persons"]]
    return Population(households=households, persons=len(everyone),
                      urgent=sum(p["precedence"] == "urgent" for p in everyone),
                      stretcher=sum(p["mobility"] == "stretcher" for p in everyone))


def _medical(rng: random.Random, households: list[dict], urgent: int) -> None:
    """Wounded and sick: `urgent` urgent cases (about half on stretchers), more priority and routine."""
    plain = [h for h in households if len(h["persons"]) <= 4]
    for i, h in enumerate(rng.sample(plain, min(len(plain), urgent))):
        p = rng.choice(h["persons"])
        p["precedence"] = "urgent"
        if i % 2 == 0:
            p["mobility"] = "stretcher"
    others = [p for h in households for p in h["persons"] if p["precedence"] == "none"]
    for p in rng.sample(others, min(len(others), urgent * 3)):
        p["precedence"] = "priority"
    others = [p for p in others if p["precedence"] == "none"]
    for p in rng.sample(others, min(len(others), urgent * 10)):
        p["precedence"] = "routine"
