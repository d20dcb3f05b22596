"""Household cards and wristband strips: pages, text layer, shaped Arabic, QR codes."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from corridor.domain.errors import CorridorError
from corridor.domain.tokens import make_token
from corridor.domain.values import Mobility, Precedence
from corridor.domain.vocabulary import label, short_label
from corridor.formats.cards import PLACEHOLDER, FontNotFound, find_fonts, visual_text, write_cards

SITES = {
    "GP-A": {"name_en": "Gathering A", "name_ar": "نقطة التجمع أ"},
    "RC-1": {"name_en": "Reception 1", "name_ar": "مركز استقبال ١"},
}
OPERATION = {"name_en": "Test evacuation", "name_ar": "إجلاء تجريبي"}
HALABI = "محمد أحمد الحلبي"
SHAMI = "فاطمة عبد الرحمن الشامي"


def _person(token: str, name_ar: str, name_latin: str, precedence: str = "none", mobility: str = "walks") -> dict:
    return {"token": token, "name_ar": name_ar, "name_latin": name_latin, "precedence": precedence,
            "mobility": mobility, "vulnerabilities": []}


HOUSEHOLDS = [
    {"token": "H7K3M9QX4", "gathering_point": "GP-A", "destination": "RC-1", "persons": [
        _person("P7K3M9QX4", HALABI, "Mohammad Ahmad al-Halabi", "urgent", "stretcher"),
        _person("P1234567X", SHAMI, "Fatima Abd al-Rahman al-Shami"),
        _person("P2234567X", "عبد الله محمد (أبو علي)", "Abdullah Mohammad", "priority", "needs_help"),
    ]},
    {"token": "H8K3M9QX4", "gathering_point": "GP-A", "destination": None, "persons": [
        _person("P3234567X", SHAMI, "Fatima al-Shami", "routine"),
    ]},
    {"token": "H9K3M9QX4", "gathering_point": "GP-A", "destination": "RC-1", "persons": [
        _person("P4234567X", "", "Lina Haddad"),
    ]},
]
TOKENS = ["H7K3M9QX4", "H8K3M9QX4", "H9K3M9QX4", "P7K3M9QX4", "P1234567X", "P2234567X", "P3234567X", "P4234567X"]


def _texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _is_presentation_form(ch: str) -> bool:
    return "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("cards") / "cards.pdf"
    return path, write_cards(path, HOUSEHOLDS, SITES, OPERATION)


def test_pages_cards_then_strips(pdf):
    path, pages = pdf
    assert pages == 2  # 3 cards on one page, 5 strips on another
    assert len(PdfReader(path).pages) == 2
    for page in PdfReader(path).pages:
        assert [round(float(v) / 72 * 25.4) for v in page.mediabox[2:]] == [210, 297]


def test_page_count_grows_with_households(tmp_path: Path):
    households = [
        {"token": make_token("H"), "gathering_point": "GP-A", "destination": "RC-1",
         "persons": [_person(make_token("P"), HALABI, "Mohammad") for _ in range(3)]}
        for _ in range(7)
    ]
    # 7 cards: 2 pages of 6; 21 strips: 3 pages of 8
    assert write_cards(tmp_path / "a.pdf", households, SITES, OPERATION) == 5
    assert write_cards(tmp_path / "b.pdf", households, SITES, OPERATION, wristbands=False) == 2
    assert len(PdfReader(tmp_path / "b.pdf").pages) == 2
    assert write_cards(tmp_path / "c.pdf", [], SITES, OPERATION) == 0


def test_text_layer_has_every_token(pdf):
    path, _ = pdf
    cards_page, strips_page = _texts(path)
    for token in TOKENS[:3]:
        assert token in cards_page
    for token in TOKENS[3:]:
        assert token in strips_page
    assert "3 persons" in cards_page and "1 stretcher" in cards_page
    assert "Gathering A" in cards_page and "Any reception centre" in cards_page


def test_arabic_is_shaped_and_reads_right_to_left(pdf):
    path, _ = pdf
    cards_page, strips_page = _texts(path)
    for text in (cards_page, strips_page):
        # the letters are drawn in their joined (presentation) forms, not as isolated letters
        assert sum(_is_presentation_form(ch) for ch in text) > 20
        # and they come back as the names, in reading order, once folded to plain letters
        plain = unicodedata.normalize("NFKC", text)
        assert HALABI in plain
        assert SHAMI in plain
    assert "نقطة التجمع أ" in unicodedata.normalize("NFKC", cards_page)


def test_fonts_are_embedded_and_metadata_has_no_names(pdf):
    path, _ = pdf
    reader = PdfReader(path)
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    arabic = find_fonts().arabic.stem
    assert any(arabic in name for name in fonts), fonts
    meta = " ".join(str(v) for v in reader.metadata.values())
    assert "Halabi" not in meta and "الحلبي" not in meta


def test_card_shows_the_highest_precedence(tmp_path: Path):
    one = [dict(HOUSEHOLDS[0])]
    write_cards(tmp_path / "urgent.pdf", one, SITES, OPERATION, wristbands=False)
    text = _texts(tmp_path / "urgent.pdf")[0]
    assert "MEDEVAC URGENT" in text and "PRIORITY" not in text
    write_cards(tmp_path / "none.pdf", [HOUSEHOLDS[2]], SITES, OPERATION, wristbands=False)
    assert "MEDEVAC" not in _texts(tmp_path / "none.pdf")[0]


def test_strips_show_precedence_and_stretcher(pdf):
    path, _ = pdf
    strips_page = _texts(path)[1]
    assert "URGENT" in strips_page and "PRIORITY" in strips_page and "ROUTINE" in strips_page
    assert strips_page.count("STRETCHER") == 1
    # the tail under the fastening names the household in both languages, once a strip
    plain = unicodedata.normalize("NFKC", strips_page)
    assert plain.count("household H7K3M9QX4") == 3 and plain.count("الأسرة") == 5


def test_visual_text_shapes_reorders_and_mirrors():
    assert visual_text("Mohammad (Abu Ali) 12") == "Mohammad (Abu Ali) 12"
    shaped = visual_text("محمد")
    assert all(_is_presentation_form(ch) for ch in shaped)
    # drawn left to right, the last letter (final dal) comes first and the initial meem last
    assert shaped == "\ufeaa\ufee4\ufea4\ufee3"
    # a bracketed nickname keeps brackets that open towards it
    nick = visual_text("علي (أبو محمد)")
    assert nick.index("(") < nick.index(")")
    assert unicodedata.normalize("NFKC", nick[nick.index("(") + 1:nick.index(")")])[::-1] == "أبو محمد"
    # a Latin code and digits inside Arabic keep their own left-to-right order
    mixed = visual_text("نقطة التجمع أ (GP-A) 12")
    assert mixed.startswith("12 (GP-A) ")
    # Arabic-Indic digits stay in reading order
    assert "٢٤" in visual_text("خلال ٢٤ ساعة")


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="needs poppler-utils and zbar-tools")
def test_qr_codes_decode_to_the_tokens(pdf, tmp_path: Path):
    path, _ = pdf
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(tmp_path / "page")], check=True, timeout=120)
    found: set[str] = set()
    for image in sorted(tmp_path.glob("page-*.png")):
        out = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True, timeout=120)
        found |= set(re.findall(r"[HP][0-9A-Z]{8}", out.stdout))
    assert found == set(TOKENS)


@pytest.fixture
def no_font_cache():
    find_fonts.cache_clear()
    yield
    find_fonts.cache_clear()


def test_missing_arabic_font_is_a_refusal_that_says_what_to_install(monkeypatch, no_font_cache, tmp_path: Path):
    monkeypatch.delenv("CORRIDOR_ARABIC_FONT", raising=False)
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    with pytest.raises(CorridorError, match="fonts-noto-core") as refused:
        write_cards(tmp_path / "x.pdf", HOUSEHOLDS, SITES, OPERATION, font_folders=[empty])
    assert isinstance(refused.value, FontNotFound) and refused.value.field == "fonts"
    assert not (tmp_path / "x.pdf").exists()


def test_font_override_must_be_arabic(monkeypatch, no_font_cache, tmp_path: Path):
    latin_only = tmp_path / "latin.ttf"
    latin_only.write_bytes(b"not a font")
    monkeypatch.setenv("CORRIDOR_ARABIC_FONT", str(latin_only))
    with pytest.raises(FontNotFound, match="CORRIDOR_ARABIC_FONT"):
        find_fonts()


def test_characters_no_font_can_draw_print_as_one_placeholder_each_run(tmp_path: Path):
    smiling = [{"token": "H7K3M9QX4", "gathering_point": "GP-A", "destination": "RC-1", "persons": [
        _person("P7K3M9QX4", "محمد 😀 الحلبي", "Mohammad 👨‍👩‍👧 Halabi ❤️")]}]
    write_cards(tmp_path / "emoji.pdf", smiling, SITES, OPERATION)
    cards_page, strips_page = _texts(tmp_path / "emoji.pdf")
    for text in (cards_page, strips_page):
        assert "?" not in text
        assert "Mohammad " + PLACEHOLDER + " Halabi" in text
    assert PLACEHOLDER in unicodedata.normalize("NFKC", strips_page)


def test_card_words_are_the_vocabularys(tmp_path: Path):
    write_cards(tmp_path / "words.pdf", [HOUSEHOLDS[0]], SITES, OPERATION)
    cards_page, strips_page = _texts(tmp_path / "words.pdf")
    assert label(Precedence.URGENT).upper() in cards_page
    assert short_label(Precedence.PRIORITY) in strips_page
    assert short_label(Mobility.STRETCHER) in strips_page
    # the Arabic label as printed: shaped, its harakat (here the shadda) left out
    printed = "".join(ch for ch in label(Mobility.STRETCHER, "ar") if unicodedata.category(ch) != "Mn")
    assert printed in unicodedata.normalize("NFKC", strips_page)


def test_a_long_name_goes_onto_two_lines_never_cut(tmp_path: Path, monkeypatch):
    from tests.formats.printed import printed_texts

    latin = "Abdul Rahman Mohammed Abdullah Ahmad Abdul Qader Al al-Sheikh al-Halabi"  # 71 letters
    arabic = "عبد الرحمن محمد عبد الله أحمد عبد القادر آل الشيخ الحلبي الحمصي الدمشقي"
    household = {"token": "H7K3M9QX4", "gathering_point": "GP-A", "destination": "RC-1",
                 "persons": [_person("P7K3M9QX4", arabic, latin)]}
    with printed_texts(monkeypatch) as texts:
        write_cards(tmp_path / "long.pdf", [household], SITES, OPERATION, wristbands=False)
    drawn = [t for _, t in texts]
    assert not [t for t in drawn if "…" in t]  # before: 'Abdul Rahman Mohammed Abdullah Ahmad Abdul Qader Al al…'
    assert "al-Halabi" in " ".join(drawn) and visual_text("الدمشقي") in " ".join(drawn)
