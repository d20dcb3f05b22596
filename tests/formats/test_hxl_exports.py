"""The HXL exports carry the places' names in both languages, and Arabic survives the round trip through libhxl."""

from __future__ import annotations

import csv
import io

import hxl as libhxl

from corridor.formats.hxl import operation_csv

PLACES = {"GP-A": ("Gathering A", "نقطة التجمع أ", 36.17, 37.12), "RC-1": ("Reception 1", "مركز استقبال ١", 35.9, 36.6)}


def test_the_operation_export_names_each_place_in_arabic_too():
    days = [{"date": "2016-12-15", "gathering_point": "GP-A", "destination": "RC-1", "registered": 1200,
             "departed": 1000, "arrived": 990, "held": 2},
            {"date": "2016-12-15", "gathering_point": "GP-A", "destination": None, "registered": 3, "departed": 0,
             "arrived": 0, "held": 0}]
    rows = list(csv.reader(io.StringIO("".join(operation_csv(days, PLACES)))))
    data = list(libhxl.data(rows))
    # before: the English names alone, on an export read by Arabic-speaking partners
    assert [r.get("#loc+origin+name+i_ar") for r in data] == ["نقطة التجمع أ", "نقطة التجمع أ"]
    assert [r.get("#loc+dest+name+i_ar") for r in data] == ["مركز استقبال ١", None]  # any reception centre
    assert [r.get("#loc+dest+name") for r in data][0] == "Reception 1"  # the English columns where they were
    assert rows[0][:3] == ["date", "gathering_point", "gathering_point_name"]
