"""The XForms made from the XLSForms `corridor forms` writes: a title, meta/instanceID bound with
jr:preload="uid" (what ODK's engines need to load a form and key its submissions), both languages, a version
that follows the sites; and a form missing either is refused rather than served."""

from __future__ import annotations

import pytest

from corridor.formats.xform import check_xform, forms_version, xforms_of

SITES = [
    {"code": "GP-A", "kind": "gathering_point", "name_en": "Gathering A", "name_ar": "نقطة التجمع أ"},
    {"code": "GP-B", "kind": "gathering_point", "name_en": "Gathering B", "name_ar": "نقطة التجمع ب"},
    {"code": "RC-1", "kind": "reception_centre", "name_en": "Reception 1", "name_ar": "مركز استقبال ١"},
]


def test_both_forms_have_a_title_an_instance_id_preload_and_both_languages(tmp_path):
    registration, boarding = xforms_of(SITES)
    assert (registration.form_id, boarding.form_id) == ("corridor_registration", "corridor_boarding")
    assert registration.title == "Household registration" and boarding.title == "Boarding scan"
    assert registration.version == boarding.version == forms_version(SITES)
    for form in (registration, boarding):
        assert form.languages == ("English (en)", "Arabic (ar)")
        assert form.hash.startswith("md5:") and len(form.hash) == 36
        assert check_xform(form.xml) == form


def test_the_version_follows_the_sites_and_a_limited_device_lists_only_its_gathering_points():
    assert forms_version(SITES) == forms_version([dict(s) for s in SITES])
    assert forms_version(SITES) != forms_version([*SITES[:2], {**SITES[2], "name_en": "Reception One"}])
    (limited, _) = xforms_of(SITES, gathering_points=("GP-B",))
    assert b"GP-B" in limited.xml and b"GP-A" not in limited.xml


@pytest.mark.parametrize("broken, says", [
    (lambda x: x.replace(b"<h:title>Boarding scan</h:title>", b""), "h:title"),
    (lambda x: x.replace(b'jr:preload="uid"', b""), "instanceID"),
])
def test_a_form_without_a_title_or_an_instance_id_preload_is_refused(broken, says):
    boarding = xforms_of(SITES)[1]
    with pytest.raises(ValueError, match=says):
        check_xform(broken(boarding.xml))
