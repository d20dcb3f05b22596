"""Name lists and romanisers of the independent Syrian registry (`syrian_registry`).

Written apart from `corridor.scenarios.names` (the tables the matcher is tuned
on) so that an evaluation on it is not an evaluation on the tuning data: own
lists, own weights, and Latin spellings made by rule rather than listed.

Each name is given twice, by hand: its Arabic spelling and a vowelled base
romanisation in a small ASCII notation, from which each registration desk's
convention derives the Latin spelling:

    '  hamza          `  ayn            H  ha (ح)        h  ha (ه)
    S  sad            D  dad            T  ta (ط)        Z  za (ظ)
    th dh kh gh sh    as usual          aa ii uu  long vowels
    @  taa marbuta (after its a)  doubled letters   written twice
    "al-"             the article       "`abd al-X"  a compound

Conventions (`romanise(base, scheme)`):

* "en" -- English / UN-style: Mohammad, Khaled, Hussein, Kareem, Mahmoud,
  Abdul Rahman, Al-Halabi;
* "fr" -- French-influenced: Mouhammad, Khaled, Houssein, Karim, Mahmoud,
  Chadi, Djamal, Abdel Rahmane, El Halabi;
* "sc" -- simplified scholarly: Muhammad, Khalid, Husayn, Karim, Mahmud,
  Abd al-Rahman, al-Halabi.

Frequencies are impressions, not census data: Muhammad is about one man in
six, family names are many and flat (clans of one name live in several
places), with family names made of a given name ("al-Ahmad", "Abu Khalil").
"""

from __future__ import annotations

import re

_MALE = """
محمد muHammad 110|أحمد 'aHmad 32|محمود maHmuud 18|مصطفى muSTafaa 14|خالد khaalid 16|عمر `umar 14
علي `alii 14|عبد الله `abdullaah 14|عبد الرحمن `abd al-raHmaan 11|عبد القادر `abd al-qaadir 7
عبد الكريم `abd al-kariim 5|عبد العزيز `abd al-`aziiz 4|عبد الحميد `abd al-Hamiid 4
عبد الرزاق `abd al-razzaaq 3|عبد اللطيف `abd al-laTiif 3|عبد الناصر `abd al-naaSir 3|حسن Hasan 11
حسين Husayn 9|إبراهيم 'ibraahiim 11|يوسف yuusuf 11|إسماعيل 'ismaa`iil 5|يحيى yaHyaa 5|زكريا zakariyyaa 3
ياسر yaasir 7|ياسين yaasiin 6|سامر saamir 6|رامي raamii 6|ماهر maahir 5|باسل baasil 5|وليد waliid 7
وائل waa'il 5|فادي faadii 5|فراس firaas 5|عماد `imaad 5|جمال jamaal 5|كمال kamaal 4|نبيل nabiil 4
جميل jamiil 4|سعيد sa`iid 6|سعد sa`d 4|صالح SaaliH 6|فيصل faySal 4|طارق Taariq 5|زياد ziyaad 5
مازن maazin 4|هيثم haytham 4|حمزة Hamza@ 5|أسامة 'usaama@ 5|معاذ mu`aadh 4|أنس 'anas 5|بلال bilaal 5
عثمان `uthmaan 4|منير muniir 3|نزار nizaar 3|رياض riyaaD 4|فؤاد fu'aad 3|شادي shaadii 4|غسان ghassaan 4
قاسم qaasim 4|هشام hishaam 4|نضال niDaal 3|ضياء Diyaa' 2|ظافر Zaafir 2|ذياب dhiyaab 2|زهير zuhayr 3
مهند muhannad 4|عدنان `adnaan 4|عامر `aamir 4|أيمن 'ayman 4|مجد majd 3|حازم Haazim 3|صبحي SubHii 3
صفوان Safwaan 3|ثائر thaa'ir 2|توفيق tawfiiq 3|رضوان riDwaan 3|نور الدين nuur al-diin 3|خليل khaliil 5
سليمان sulaymaan 5|داود daawuud 3|موسى muusaa 4|عيسى `iisaa 3|حسام Husaam 4|هاني haanii 4
"""

_FEMALE = """
فاطمة faaTima@ 22|عائشة `aa'isha@ 9|مريم maryam 14|زينب zaynab 9|خديجة khadiija@ 9|نور nuur 9|هدى hudaa 7
سارة saara@ 7|آمنة 'aamina@ 6|رنا ranaa 6|ريم riim 6|لينا liinaa 5|رهف rahaf 5|سلمى salmaa 5|منى munaa 5
هبة hiba@ 5|إيمان 'iimaan 6|أسماء 'asmaa' 6|سعاد su`aad 4|نجاح najaaH 3|وفاء wafaa' 4|رشا rashaa 4
دعاء du`aa' 4|غادة ghaada@ 4|حليمة Haliima@ 4|صفاء Safaa' 3|ضحى DuHaa 3|سمر samar 4|ياسمين yaasamiin 4
جميلة jamiila@ 3|رغد raghad 4|بتول batuul 3|شيماء shaymaa' 4|عبير `abiir 3|ميساء maysaa' 3|حنان Hanaan 4
لمى lamaa 3|تسنيم tasniim 3|سوسن sawsan 3|نادية naadiya@ 4|سهام sihaam 3|أمل 'amal 5|ختام khitaam 2
هيفاء hayfaa' 2|ثريا thurayyaa 2|زهراء zahraa' 3|كوثر kawthar 3|بشرى bushraa 3|رقية ruqayya@ 3
"""

_FAMILY = """
الحلبي al-Halabii 8|الحمصي al-HimSii 5|الحموي al-Hamawii 5|الشامي al-shaamii 5|الإدلبي al-'idlibii 4
الديري al-dayrii 4|الرقاوي al-raqqaawii 3|الحوراني al-Hawraanii 4|الدرعاوي al-dar`aawii 3
الطرابلسي al-Taraabulusii 3|النجار al-najjaar 5|الحداد al-Haddaad 5|الخياط al-khayyaaT 4|العطار al-`aTTaar 4
الدباغ al-dabbaagh 3|القصاب al-qaSSaab 4|الصباغ al-Sabbaagh 3|الحلاق al-Hallaaq 3|الفحام al-faHHaam 3
الزيات al-zayyaat 3|السمان al-sammaan 3|الطحان al-TaHHaan 3|النحاس al-naHHaas 3|الخطيب al-khaTiib 5
الإمام al-'imaam 3|الشيخ al-shaykh 4|المصري al-miSrii 4|التركماني al-turkmaanii 3|الكردي al-kurdii 4
السيد al-sayyid 4|شحادة shiHaada@ 4|قباني qabbaanii 3|كيالي kayyaalii 3|جبري jabrii 2|دياب diyaab 3
مراد muraad 3|حجازي Hijaazii 4|زيدان zaydaan 3|سلامة salaama@ 3|بكري bakrii 3|قدور qadduur 3
حمادة Hamaada@ 3|بيطار bayTaar 4|طه Taaha 3|يونس yuunus 3|نعسان na`saan 2|شعبان sha`baan 3
رمضان ramaDaan 3|عرب `arab 2|ضاهر Daahir 2|ظاظا Zaazaa 1|ذهبي dhahabii 2|زعتر za`tar 2|صوفي Suufii 2
سقا saqqaa 2|قطان qaTTaan 3|عكاش `akkaash 2|الأسعد al-'as`ad 3|الجاسم al-jaasim 4|العساف al-`assaaf 3
الراشد al-raashid 3|الخلف al-khalaf 4|العبود al-`abbuud 3|الرفاعي al-rifaa`ii 3|الجبوري al-jabbuurii 3
العنزي al-`anazii 3|الشمري al-shammarii 3|الدليمي al-dulaymii 2|البكور al-bakkuur 2|الحريري al-Hariirii 3
الزعبي al-zu`bii 4|المقداد al-miqdaad 3|النعيمي al-nu`aymii 3|المحاميد al-maHaamiid 2|الحمدان al-Hamdaan 3
العمري al-`umarii 3|الخضر al-khiDr 2|الفارس al-faaris 3|السالم al-saalim 3|الشهابي al-shihaabii 2
الأيوبي al-'ayyuubii 2|الكيلاني al-kiilaanii 2|الساعاتي al-saa`aatii 2|البني al-bunnii 2|الطويل al-Tawiil 3
القاضي al-qaaDii 3|الأطرش al-'aTrash 2|الحكيم al-Hakiim 2|الموصلي al-mawSilii 2|الأنصاري al-'anSaarii 3
البغدادي al-baghdaadii 2|الجزائري al-jazaa'irii 2|المغربي al-maghribii 2|الحسيني al-Husaynii 3
"""


def _table(text: str) -> tuple[tuple[str, str, int], ...]:
    """(arabic, base, weight) of "arabic words, base words, weight" items separated by "|"."""
    out = []
    for item in text.replace("\n", "|").split("|"):
        words = item.split()
        if words:
            arabic = " ".join(w for w in words[:-1] if _ARABIC.search(w))
            base = " ".join(w for w in words[:-1] if not _ARABIC.search(w))
            out.append((arabic, base, int(words[-1])))
    return tuple(out)


_ARABIC = re.compile("[\u0600-\u06ff]")


MALE_GIVEN = _table(_MALE)
FEMALE_GIVEN = _table(_FEMALE)


def _derived_family() -> tuple[tuple[str, str, int], ...]:
    """Family names made of a man's given name: "al-Ahmad" (الأحمد), "Abu Khalil" (أبو خليل)."""
    out = []
    for ar, base, _ in MALE_GIVEN:
        if " " in base:
            continue
        out.append(("ال" + ar.replace("إ", "ا") if not ar.startswith("أ") else "الأ" + ar[1:], "al-" + base, 2))
        out.append(("أبو " + ar, "'abuu " + base, 1))
    return tuple(out)


FAMILY = _table(_FAMILY) + _derived_family()

# --- romanisation -----------------------------------------------------------------

_TOKEN = re.compile(r"sh|kh|gh|th|dh|aa|ii|uu|ay|aw|.", re.S)
_VOWELS = {"a", "i", "u", "aa", "ii", "uu", "ay", "aw", "@"}

SCHEMES = ("en", "fr", "sc")

_CONS = {
    "en": {"'": "", "`": "", "H": "h", "S": "s", "D": "d", "T": "t", "Z": "z"},
    "fr": {"'": "", "`": "", "H": "h", "S": "s", "D": "d", "T": "t", "Z": "z", "sh": "ch", "j": "dj",
           "q": "k", "w": "ou", "kh": "kh", "th": "th", "dh": "dh"},
    "sc": {"'": "'", "`": "'", "H": "h", "S": "s", "D": "d", "T": "t", "Z": "z"},
}
_VOW = {
    "en": {"a": "a", "i": "e", "u": "o", "aa": "a", "ii": "ee", "uu": "ou", "ay": "ei", "aw": "aw", "@": "h"},
    "fr": {"a": "a", "i": "i", "u": "ou", "aa": "a", "ii": "i", "uu": "ou", "ay": "ai", "aw": "aou", "@": ""},
    "sc": {"a": "a", "i": "i", "u": "u", "aa": "a", "ii": "i", "uu": "u", "ay": "ay", "aw": "aw", "@": ""},
}
_ARTICLE = {"en": "Al-", "fr": "El ", "sc": "al-"}
_ABD = {"en": "Abdul ", "fr": "Abdel ", "sc": "Abd al-"}


def _word(base: str, scheme: str) -> str:
    tokens = _TOKEN.findall(base.lstrip("'`"))
    out = []
    for k, t in enumerate(tokens):
        last = k == len(tokens) - 1
        if t in _VOWELS:
            v = _VOW[scheme][t]
            if scheme == "en" and (last and t == "ii" or k == 0 and t == "i"):
                v = "i"                              # al-Halabi, Ibrahim: not al-Halabee, Ebrahim
            out.append(v)
        else:
            c = _CONS[scheme].get(t, t)
            if scheme == "fr" and t == "w" and 0 < k < len(tokens) - 1 and tokens[k - 1] in _VOWELS:
                c = "w"                              # Marwan, not Marouan
            if scheme == "fr" and t == "s" and 0 < k < len(tokens) - 1 and tokens[k - 1] in _VOWELS \
                    and tokens[k + 1] in _VOWELS:
                c = "ss"                             # Moussa, Hassan: an s between vowels
            out.append(c)
    text = "".join(out)
    if scheme == "fr" and base.endswith("aan"):
        text += "e"                                  # Osmane, Rahmane
    # doubled letters that the convention does not double ("ouou", "ee" after "e")
    text = re.sub(r"(ou)\1", r"\1", text)
    return text[:1].upper() + text[1:] if text else text


def romanise(base: str, scheme: str) -> str:
    """The Latin spelling of a base romanisation in one desk's convention (see the module)."""
    words = base.split()
    out = []
    k = 0
    while k < len(words):
        w = words[k]
        if w == "`abd" and k + 1 < len(words) and words[k + 1].startswith("al-"):
            out.append(_ABD[scheme] + _word(words[k + 1][3:], scheme))
            k += 2
            continue
        if w.startswith("al-") and out and words[k - 1] != "'abuu":
            out[-1] += (" al-" if scheme != "fr" else " Ed-") + _word(w[3:], scheme)   # Nur al-Din
            k += 1
            continue
        if w.startswith("al-"):
            out.append(_ARTICLE[scheme] + _word(w[3:], scheme))
        elif w == "'abuu":
            out.append({"en": "Abu", "fr": "Abou", "sc": "Abu"}[scheme])
        else:
            out.append(_word(w, scheme))
        k += 1
    return " ".join(out)
