"""Synthetic Syrian Arabic personal names, for demo populations and registries.

A person is named in the Levantine way: given name, father's given name and
family name ("محمد أحمد الحلبي", "Mohammed Ahmad al-Halabi"). Children take
the household head's given name as their father's name, so a household shares
its second and third names.

Every name carries its Arabic spelling (letters and spaces only, no
diacritics) and one canonical Latin transliteration. `VARIANTS` lists the
other Latin spellings met in practice for the same Arabic name; registries
built from several sources (UNHCR lists, hand-written manifests, phone
contacts) disagree in exactly these ways, which is what duplicate detection
has to see through.

Frequencies are rough impressions of northern Syria, not census data:
Mohammed alone is about one male in six. Everything is drawn from the
`random.Random` passed in, so a seed fixes the whole population.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

# (arabic, canonical latin, relative weight)
MALE_GIVEN: tuple[tuple[str, str, int], ...] = (
    ("محمد", "Mohammed", 140),
    ("أحمد", "Ahmad", 40),
    ("محمود", "Mahmoud", 25),
    ("مصطفى", "Mustafa", 20),
    ("خالد", "Khaled", 20),
    ("عمر", "Omar", 20),
    ("علي", "Ali", 18),
    ("عبد الله", "Abdullah", 20),
    ("عبد الرحمن", "Abdul Rahman", 15),
    ("عبد القادر", "Abdul Qader", 10),
    ("عبد الكريم", "Abdul Karim", 8),
    ("عبد الرزاق", "Abdul Razzaq", 6),
    ("عبد العزيز", "Abdul Aziz", 6),
    ("عبد الحميد", "Abdul Hamid", 5),
    ("عبد الغني", "Abdul Ghani", 4),
    ("عبد الباسط", "Abdul Baset", 4),
    ("عبد السلام", "Abdul Salam", 4),
    ("عبد الوهاب", "Abdul Wahhab", 3),
    ("حسن", "Hassan", 15),
    ("حسين", "Hussein", 12),
    ("إبراهيم", "Ibrahim", 15),
    ("يوسف", "Yousef", 15),
    ("إسماعيل", "Ismail", 5),
    ("ياسر", "Yaser", 8),
    ("ياسين", "Yassin", 8),
    ("سامر", "Samer", 8),
    ("سامي", "Sami", 6),
    ("رامي", "Rami", 8),
    ("ماهر", "Maher", 6),
    ("باسل", "Basel", 6),
    ("بشار", "Bashar", 5),
    ("وليد", "Walid", 8),
    ("وائل", "Wael", 8),
    ("فادي", "Fadi", 7),
    ("عماد", "Imad", 6),
    ("عمار", "Ammar", 8),
    ("أيمن", "Ayman", 7),
    ("أنس", "Anas", 8),
    ("أسامة", "Osama", 7),
    ("بلال", "Bilal", 6),
    ("حمزة", "Hamza", 8),
    ("طارق", "Tareq", 6),
    ("زياد", "Ziad", 6),
    ("زكريا", "Zakariya", 5),
    ("سليمان", "Suleiman", 6),
    ("صالح", "Saleh", 6),
    ("عادل", "Adel", 5),
    ("عدنان", "Adnan", 5),
    ("عثمان", "Othman", 5),
    ("فراس", "Firas", 5),
    ("فيصل", "Faisal", 4),
    ("كمال", "Kamal", 4),
    ("جمال", "Jamal", 5),
    ("مازن", "Mazen", 5),
    ("منير", "Munir", 4),
    ("نبيل", "Nabil", 5),
    ("نزار", "Nizar", 4),
    ("هشام", "Hisham", 5),
    ("همام", "Humam", 4),
    ("هيثم", "Haitham", 5),
    ("غسان", "Ghassan", 4),
    ("جهاد", "Jihad", 4),
    ("حسام", "Hussam", 6),
    ("رضوان", "Radwan", 4),
    ("رياض", "Riad", 4),
    ("سعيد", "Saeed", 5),
    ("سمير", "Samir", 5),
    ("شادي", "Shadi", 5),
    ("صلاح", "Salah", 5),
    ("ضياء", "Diaa", 3),
    ("عامر", "Amer", 5),
    ("عصام", "Issam", 4),
    ("غياث", "Ghiath", 4),
    ("قاسم", "Qasem", 4),
    ("لؤي", "Louay", 4),
    ("مالك", "Malek", 5),
    ("معاذ", "Muaz", 5),
    ("مهند", "Muhannad", 5),
    ("نور الدين", "Nour al-Din", 4),
    ("هاني", "Hani", 4),
    ("يحيى", "Yahya", 5),
    ("يزن", "Yazan", 5),
    ("أكرم", "Akram", 4),
    ("أمين", "Amin", 4),
    ("حازم", "Hazem", 4),
    ("خليل", "Khalil", 6),
    ("سعد", "Saad", 4),
    ("طه", "Taha", 4),
    ("علاء", "Alaa", 5),
    ("قصي", "Qusai", 4),
    ("مجد", "Majd", 4),
    ("ناصر", "Nasser", 4),
    ("هادي", "Hadi", 4),
    ("وسيم", "Wassim", 4),
    ("يامن", "Yamen", 4),
    ("أيهم", "Ayham", 4),
    ("براء", "Baraa", 4),
    ("تامر", "Tamer", 4),
    ("مراد", "Murad", 3),
    ("كنان", "Kinan", 3),
    ("موسى", "Moussa", 4),
    ("عيسى", "Issa", 3),
)

FEMALE_GIVEN: tuple[tuple[str, str, int], ...] = (
    ("فاطمة", "Fatima", 40),
    ("مريم", "Maryam", 25),
    ("عائشة", "Aisha", 20),
    ("نور", "Nour", 20),
    ("خديجة", "Khadija", 15),
    ("زينب", "Zainab", 15),
    ("سارة", "Sara", 15),
    ("هبة", "Hiba", 12),
    ("هدى", "Huda", 12),
    ("إيمان", "Iman", 12),
    ("أسماء", "Asmaa", 12),
    ("رنا", "Rana", 10),
    ("رهف", "Rahaf", 10),
    ("أمل", "Amal", 10),
    ("آمنة", "Amina", 10),
    ("سلمى", "Salma", 10),
    ("ريم", "Reem", 10),
    ("ليلى", "Layla", 10),
    ("حليمة", "Halima", 6),
    ("سعاد", "Suad", 6),
    ("سمر", "Samar", 8),
    ("رغد", "Raghad", 8),
    ("روان", "Rawan", 8),
    ("لينا", "Lina", 8),
    ("لمى", "Lama", 8),
    ("منى", "Mona", 8),
    ("ميساء", "Maysaa", 5),
    ("نادية", "Nadia", 6),
    ("نسرين", "Nisreen", 7),
    ("هالة", "Hala", 7),
    ("هند", "Hind", 6),
    ("وفاء", "Wafaa", 6),
    ("ياسمين", "Yasmin", 8),
    ("دعاء", "Duaa", 8),
    ("رشا", "Rasha", 8),
    ("رزان", "Razan", 8),
    ("رانيا", "Rania", 7),
    ("غادة", "Ghada", 7),
    ("بشرى", "Bushra", 6),
    ("تسنيم", "Tasneem", 6),
    ("جنى", "Jana", 8),
    ("خلود", "Kholoud", 6),
    ("دانة", "Dana", 5),
    ("ديما", "Dima", 7),
    ("رؤى", "Ruaa", 5),
    ("زهرة", "Zahra", 5),
    ("سناء", "Sanaa", 6),
    ("سهام", "Siham", 6),
    ("شهد", "Shahad", 7),
    ("صفاء", "Safaa", 6),
    ("عبير", "Abeer", 6),
    ("علا", "Ola", 6),
    ("غنى", "Ghina", 5),
    ("فرح", "Farah", 7),
    ("لبنى", "Lubna", 6),
    ("ماجدة", "Majida", 5),
    ("مها", "Maha", 6),
    ("ملك", "Malak", 6),
    ("نجلاء", "Najlaa", 4),
    ("نوال", "Nawal", 5),
    ("هيا", "Haya", 5),
    ("وعد", "Waad", 5),
    ("يارا", "Yara", 6),
    ("إسراء", "Israa", 7),
    ("أميرة", "Amira", 6),
    ("بتول", "Batoul", 6),
    ("جميلة", "Jamila", 5),
    ("حنان", "Hanan", 6),
    ("رقية", "Ruqaya", 6),
    ("سوسن", "Sawsan", 4),
    ("فاتن", "Faten", 5),
    ("ندى", "Nada", 7),
    ("نهى", "Nuha", 5),
    ("ولاء", "Walaa", 5),
    ("سلوى", "Salwa", 5),
    ("مروة", "Marwa", 8),
)

# Family names heard in Aleppo and the north: trades (Najjar, Attar,
# Sabbagh), places of origin (Halabi, Idlibi, Masri), ancestors' names
# (al-Ahmad, al-Hussein) and old Aleppine houses (Jabri, Kawakibi).
FAMILY: tuple[tuple[str, str, int], ...] = (
    ("الحلبي", "al-Halabi", 6),
    ("كردي", "Kurdi", 6),
    ("الشامي", "al-Shami", 5),
    ("حداد", "Haddad", 5),
    ("المصري", "al-Masri", 5),
    ("العطار", "al-Attar", 4),
    ("النجار", "al-Najjar", 5),
    ("الخطيب", "al-Khatib", 6),
    ("الصباغ", "al-Sabbagh", 4),
    ("الجابري", "al-Jabri", 3),
    ("قباني", "Qabbani", 3),
    ("الحمصي", "al-Homsi", 4),
    ("الإدلبي", "al-Idlibi", 4),
    ("الحموي", "al-Hamawi", 4),
    ("الحسن", "al-Hassan", 6),
    ("الأحمد", "al-Ahmad", 6),
    ("العلي", "al-Ali", 6),
    ("المحمد", "al-Mohammed", 6),
    ("الخليل", "al-Khalil", 4),
    ("الحسين", "al-Hussein", 5),
    ("العمر", "al-Omar", 5),
    ("الصالح", "al-Saleh", 4),
    ("الإبراهيم", "al-Ibrahim", 4),
    ("الموسى", "al-Moussa", 4),
    ("الشيخ", "al-Sheikh", 4),
    ("الحاج", "al-Hajj", 4),
    ("السيد", "al-Sayed", 4),
    ("الزين", "al-Zein", 3),
    ("الرفاعي", "al-Rifai", 3),
    ("الكيالي", "al-Kayyali", 3),
    ("الجندي", "al-Jundi", 3),
    ("الحكيم", "al-Hakim", 3),
    ("القاضي", "al-Qadi", 3),
    ("الطحان", "al-Tahhan", 3),
    ("الحلاق", "al-Hallaq", 3),
    ("الدباغ", "al-Dabbagh", 3),
    ("الخياط", "al-Khayyat", 3),
    ("الزعبي", "al-Zoubi", 3),
    ("العبد الله", "al-Abdullah", 4),
    ("الشهابي", "al-Shihabi", 2),
    ("المدرس", "al-Mudarris", 2),
    ("الأتاسي", "al-Atassi", 2),
    ("الجزائري", "al-Jazairi", 2),
    ("البيطار", "al-Bitar", 3),
    ("الحريري", "al-Hariri", 3),
    ("السقا", "al-Saqqa", 3),
    ("الشعار", "al-Shaar", 3),
    ("الترك", "al-Turk", 3),
    ("التركماني", "al-Turkmani", 3),
    ("الأسود", "al-Aswad", 3),
    ("الأبرش", "al-Abrash", 2),
    ("الحمدان", "al-Hamdan", 3),
    ("الخضر", "al-Khader", 3),
    ("الدرويش", "al-Darwish", 3),
    ("السباعي", "al-Sibai", 2),
    ("الشربجي", "al-Sharbaji", 2),
    ("الصابوني", "al-Sabouni", 3),
    ("الطويل", "al-Tawil", 3),
    ("العابد", "al-Abed", 3),
    ("الغزي", "al-Ghazzi", 2),
    ("الفاخوري", "al-Fakhouri", 2),
    ("القصاب", "al-Qassab", 3),
    ("المعري", "al-Maarri", 2),
    ("النعسان", "al-Naasan", 2),
    ("الهاشمي", "al-Hashimi", 3),
    ("حجازي", "Hijazi", 3),
    ("عثمان", "Othman", 3),
    ("عيسى", "Issa", 3),
    ("قدور", "Qaddour", 3),
    ("كنجو", "Kanjo", 2),
    ("مارديني", "Mardini", 2),
    ("الملا", "al-Mulla", 3),
    ("ريحاوي", "Rihawi", 2),
    ("السراج", "al-Sarraj", 3),
    ("زكور", "Zakkour", 2),
    ("بكور", "Bakkour", 3),
    ("دهمان", "Dahman", 2),
    ("الحمامي", "al-Hammami", 2),
    ("القطان", "al-Qattan", 3),
    ("ساعاتي", "Saati", 2),
    ("الحلواني", "al-Halwani", 2),
    ("الشماع", "al-Shammaa", 2),
    ("الطباخ", "al-Tabbakh", 2),
    ("أبو زيد", "Abu Zeid", 3),
    ("أبو الخير", "Abu al-Khair", 2),
    ("أبو شعر", "Abu Shaar", 2),
    ("الأنصاري", "al-Ansari", 3),
    ("العقاد", "al-Aqqad", 2),
    ("المرعشلي", "al-Marashli", 2),
    ("الكواكبي", "al-Kawakibi", 2),
    ("المدني", "al-Madani", 2),
    ("الجمال", "al-Jammal", 2),
    ("البابا", "al-Baba", 2),
    ("الأيوبي", "al-Ayoubi", 2),
    ("الحافظ", "al-Hafez", 2),
    ("الحمود", "al-Hammoud", 3),
    ("الخالد", "al-Khaled", 3),
    ("العبيد", "al-Obeid", 3),
    ("الجاسم", "al-Jassem", 3),
    ("السلوم", "al-Salloum", 2),
    ("النابلسي", "al-Nabulsi", 2),
    ("الديري", "al-Deiri", 2),
    ("الباشا", "al-Basha", 2),
)

# Canonical Latin spelling -> other spellings of the same Arabic name, as met
# in registries, IDs and hand-written lists. Every given name above has an
# entry (empty where the spelling hardly varies); family names are listed
# where their stem varies. The article's own forms (el-, Al , as-, bare stem)
# are derived by `latin_variants`, not listed here.
VARIANTS: dict[str, tuple[str, ...]] = {
    # male given names
    "Mohammed": ("Muhammad", "Mohamad", "Mohammad", "Muhammed", "Mohamed"),
    "Ahmad": ("Ahmed", "Ahmet"),
    "Mahmoud": ("Mahmud", "Mahmood"),
    "Mustafa": ("Mostafa", "Moustafa", "Mustapha"),
    "Khaled": ("Khalid",),
    "Omar": ("Umar", "Omer"),
    "Ali": ("Aly",),
    "Abdullah": ("Abdallah", "Abd Allah", "Abdulla", "Abdellah"),
    "Abdul Rahman": ("Abdulrahman", "Abdelrahman", "Abd al-Rahman", "Abd ar-Rahman", "Abdul-Rahman"),
    "Abdul Qader": ("Abdulkader", "Abdelkader", "Abd al-Qadir", "Abdul Kader", "Abdulqadir"),
    "Abdul Karim": ("Abdulkarim", "Abdelkarim", "Abd al-Karim", "Abdul Kareem"),
    "Abdul Razzaq": ("Abdulrazzak", "Abdelrazak", "Abd al-Razzaq", "Abdul Razzak"),
    "Abdul Aziz": ("Abdulaziz", "Abdelaziz", "Abd al-Aziz"),
    "Abdul Hamid": ("Abdulhamid", "Abdelhamid", "Abd al-Hamid", "Abdul Hameed"),
    "Abdul Ghani": ("Abdulghani", "Abdelghani", "Abd al-Ghani"),
    "Abdul Baset": ("Abdulbaset", "Abdelbasset", "Abd al-Basit", "Abdul Basit"),
    "Abdul Salam": ("Abdulsalam", "Abdessalam", "Abd al-Salam", "Abd as-Salam"),
    "Abdul Wahhab": ("Abdulwahab", "Abdelwahab", "Abd al-Wahhab", "Abdul Wahab"),
    "Hassan": ("Hasan",),
    "Hussein": ("Hussain", "Husayn", "Husain", "Hussen"),
    "Ibrahim": ("Ebrahim", "Ibraheem"),
    "Yousef": ("Youssef", "Yusuf", "Yousif", "Yusef"),
    "Ismail": ("Ismael", "Esmail", "Isma'il"),
    "Yaser": ("Yasser", "Yasir"),
    "Yassin": ("Yasin", "Yaseen", "Yassine"),
    "Samer": (),
    "Sami": ("Samy",),
    "Rami": ("Ramy",),
    "Maher": ("Mahir",),
    "Basel": ("Basil", "Bassel"),
    "Bashar": ("Bachar", "Bashshar"),
    "Walid": ("Waleed", "Oualid"),
    "Wael": ("Wa'el", "Wail", "Wayel"),
    "Fadi": ("Fady",),
    "Imad": ("Emad", "Immad"),
    "Ammar": ("Amar",),
    "Ayman": ("Aiman", "Aymen"),
    "Anas": ("Anass", "Enes"),
    "Osama": ("Usama", "Ousama", "Usamah"),
    "Bilal": ("Belal",),
    "Hamza": ("Hamzah", "Hamze"),
    "Tareq": ("Tariq", "Tarek", "Tarik"),
    "Ziad": ("Ziyad", "Zyad"),
    "Zakariya": ("Zakaria", "Zakariyya", "Zakariah"),
    "Suleiman": ("Sulaiman", "Sulayman", "Soliman"),
    "Saleh": ("Salih",),
    "Adel": ("Adil",),
    "Adnan": ("Adnane",),
    "Othman": ("Uthman", "Osman", "Othmane"),
    "Firas": ("Feras",),
    "Faisal": ("Faysal", "Feisal"),
    "Kamal": ("Kemal",),
    "Jamal": ("Gamal", "Jamaal"),
    "Mazen": ("Mazin",),
    "Munir": ("Mounir", "Muneer"),
    "Nabil": ("Nabeel",),
    "Nizar": ("Nezar",),
    "Hisham": ("Hesham", "Hicham"),
    "Humam": ("Homam",),
    "Haitham": ("Haytham", "Haisam"),
    "Ghassan": ("Ghasan",),
    "Jihad": ("Jehad",),
    "Hussam": ("Hossam", "Husam"),
    "Radwan": ("Ridwan", "Redwan"),
    "Riad": ("Riyad", "Riyadh"),
    "Saeed": ("Said", "Sa'id", "Saied"),
    "Samir": ("Sameer", "Semir"),
    "Shadi": ("Shady", "Chadi"),
    "Salah": (),
    "Diaa": ("Diya", "Dia'a", "Diyaa"),
    "Amer": ("Aamer",),
    "Issam": ("Essam", "Isam"),
    "Ghiath": ("Ghiyath", "Ghayath", "Ghyath"),
    "Qasem": ("Qasim", "Kassem", "Kasim"),
    "Louay": ("Luay", "Lu'ay", "Loai"),
    "Malek": ("Malik",),
    "Muaz": ("Moaz", "Muadh", "Mu'az"),
    "Muhannad": ("Mohannad", "Muhanad"),
    "Nour al-Din": ("Nureddin", "Noureddine", "Nour el-Din", "Nur al-Din"),
    "Hani": ("Hany",),
    "Yahya": ("Yehia", "Yahia"),
    "Yazan": ("Yazen",),
    "Akram": ("Ekram",),
    "Amin": ("Ameen",),
    "Hazem": ("Hazim",),
    "Khalil": ("Khaleel",),
    "Saad": ("Sa'ad", "Saed"),
    "Taha": (),
    "Alaa": ("Ala'a", "Alaa'", "Ala"),
    "Qusai": ("Qusay", "Kusai", "Qussai"),
    "Majd": (),
    "Nasser": ("Naser", "Nasir"),
    "Hadi": ("Hady",),
    "Wassim": ("Wasim", "Waseem"),
    "Yamen": ("Yamin",),
    "Ayham": ("Aiham", "Eyham"),
    "Baraa": ("Bara'a", "Bara"),
    "Tamer": ("Tamir",),
    "Murad": ("Mourad", "Morad"),
    "Kinan": ("Kenan",),
    "Moussa": ("Musa", "Mousa", "Mussa"),
    "Issa": ("Isa", "Eissa"),
    # female given names
    "Fatima": ("Fatma", "Fatimah", "Fatema", "Fatmeh"),
    "Maryam": ("Mariam", "Meryem", "Mariyam"),
    "Aisha": ("Aysha", "Aicha", "Ayesha", "A'isha", "Aishah"),
    "Nour": ("Noor", "Nur"),
    "Khadija": ("Khadijah", "Khadeeja", "Khadije"),
    "Zainab": ("Zeinab", "Zaynab"),
    "Sara": ("Sarah", "Sarra"),
    "Hiba": ("Heba", "Hibah"),
    "Huda": ("Houda", "Hoda"),
    "Iman": ("Eman", "Imane"),
    "Asmaa": ("Asma", "Asma'a", "Esma"),
    "Rana": (),
    "Rahaf": (),
    "Amal": ("Amel",),
    "Amina": ("Aminah", "Ameena", "Amena"),
    "Salma": ("Selma", "Salmah"),
    "Reem": ("Rim", "Riem"),
    "Layla": ("Laila", "Leila", "Leyla"),
    "Halima": ("Halimah", "Haleema"),
    "Suad": ("Souad", "Su'ad"),
    "Samar": (),
    "Raghad": (),
    "Rawan": (),
    "Lina": ("Leena",),
    "Lama": (),
    "Mona": ("Muna", "Mouna"),
    "Maysaa": ("Maysa", "Maisaa", "Maysa'"),
    "Nadia": ("Nadiya", "Nadiah"),
    "Nisreen": ("Nesreen", "Nisrine", "Nesrin"),
    "Hala": ("Halah",),
    "Hind": (),
    "Wafaa": ("Wafa", "Wafa'a"),
    "Yasmin": ("Yasmine", "Yasmeen", "Jasmin"),
    "Duaa": ("Doaa", "Du'aa", "Dua"),
    "Rasha": (),
    "Razan": (),
    "Rania": ("Ranya", "Raniya"),
    "Ghada": (),
    "Bushra": ("Boushra", "Bochra"),
    "Tasneem": ("Tasnim",),
    "Jana": (),
    "Kholoud": ("Khulud", "Kholud"),
    "Dana": (),
    "Dima": ("Deema",),
    "Ruaa": ("Roaa", "Ru'a", "Roua"),
    "Zahra": ("Zahraa", "Zehra"),
    "Sanaa": ("Sana", "Sana'a"),
    "Siham": ("Seham",),
    "Shahad": ("Shahd",),
    "Safaa": ("Safa", "Safa'a"),
    "Abeer": ("Abir",),
    "Ola": ("Ula", "Oula"),
    "Ghina": ("Ghena", "Ghinaa"),
    "Farah": (),
    "Lubna": ("Loubna",),
    "Majida": ("Majeda", "Magida"),
    "Maha": (),
    "Malak": (),
    "Najlaa": ("Najla", "Najla'a"),
    "Nawal": (),
    "Haya": ("Haia",),
    "Waad": ("Wa'ad", "Waed"),
    "Yara": (),
    "Israa": ("Esraa", "Isra", "Esra"),
    "Amira": ("Ameera", "Amirah"),
    "Batoul": ("Batul", "Batool"),
    "Jamila": ("Jameela", "Jamilah"),
    "Hanan": (),
    "Ruqaya": ("Ruqayya", "Roukaya", "Rukaya"),
    "Sawsan": ("Sausan", "Sosan"),
    "Faten": ("Fatin",),
    "Nada": (),
    "Nuha": ("Noha", "Nouha"),
    "Walaa": ("Wala", "Wala'a"),
    "Salwa": (),
    "Marwa": ("Marwah",),
    # family names whose stem is spelled several ways
    "Kurdi": ("al-Kurdi", "Kurdy"),
    "al-Shami": ("al-Chami",),
    "Haddad": ("al-Haddad", "Hadad"),
    "al-Masri": ("al-Misri",),
    "al-Khatib": ("al-Khateeb",),
    "al-Sabbagh": ("al-Sabagh",),
    "al-Jabri": ("al-Jaberi",),
    "Qabbani": ("Kabbani", "Qabani"),
    "al-Homsi": ("al-Himsi", "al-Hemsi"),
    "al-Hassan": ("al-Hasan",),
    "al-Ahmad": ("al-Ahmed",),
    "al-Mohammed": ("al-Muhammad", "al-Mohamad"),
    "al-Hussein": ("al-Hussain", "al-Husayn"),
    "al-Omar": ("al-Umar",),
    "al-Moussa": ("al-Musa",),
    "al-Sheikh": ("al-Shaikh", "al-Shaykh"),
    "al-Sayed": ("al-Sayyid", "al-Sayyed"),
    "al-Qadi": ("al-Kadi", "al-Qadhi"),
    "al-Zoubi": ("al-Zu'bi", "al-Zoabi"),
    "al-Abdullah": ("al-Abdallah",),
    "al-Jazairi": ("al-Jaza'iri", "al-Jazayri"),
    "al-Atassi": ("al-Atasi",),
    "al-Saqqa": ("al-Sakka",),
    "al-Kayyali": ("al-Kayali", "al-Kiali"),
    "al-Qattan": ("al-Kattan",),
    "al-Qassab": ("al-Kassab",),
    "al-Aqqad": ("al-Akkad",),
    "Hijazi": ("Hejazi", "Higazi"),
    "Qaddour": ("Kaddour", "Qadour"),
    "Bakkour": ("Bakour",),
    "Abu Zeid": ("Abu Zaid", "Abou Zeid"),
    "Abu al-Khair": ("Abu el-Kheir", "Abul Khair", "Abou al-Khair"),
    "Abu Shaar": ("Abou Shaar", "Abu Sha'ar"),
    "Kanjo": ("Kanjou",),
    "Mardini": ("al-Mardini", "Mardeni"),
    "Rihawi": ("al-Rihawi", "Rehawi"),
    "Zakkour": ("Zakour",),
    "Dahman": ("Dahmane",),
    "Saati": ("al-Saati", "Sa'ati"),
}

# Latin onsets of the Arabic "sun letters", before which the article's l is
# assimilated in speech: al-Shami is also written ash-Shami.
_SUN_ONSETS = ("sh", "th", "dh", "t", "d", "r", "z", "s", "n", "l")


def _index_spellings() -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, variants in VARIANTS.items():
        for spelling in (canonical, *variants):
            index.setdefault(spelling.casefold(), canonical)
    return index


_CANONICAL_OF: dict[str, str] = _index_spellings()


def _article_forms(spelling: str) -> list[str]:
    """Other ways of writing the article of "al-Stem": el-Stem, Al Stem, Stem..."""
    if not spelling.startswith("al-"):
        return []
    stem = spelling[3:]
    forms = [f"el-{stem}", f"Al-{stem}", f"Al {stem}", f"Al{stem.lower()}", stem]
    onset = next((o for o in _SUN_ONSETS if stem.lower().startswith(o)), None)
    if onset is not None:
        forms += [f"a{onset}-{stem}", f"e{onset}-{stem}"]
    return forms


def latin_variants(latin: str) -> list[str]:
    """Other Latin spellings of the name written `latin` (case-insensitive).

    `latin` may be the canonical spelling or any listed variant; the answer
    holds the canonical and listed spellings other than `latin` itself, then
    the article forms of any "al-" spelling (capitalised ones included, as
    registries match on exact strings). Unknown names give [], bar the
    article forms of an unlisted "al-" name.
    """
    canonical = _CANONICAL_OF.get(latin.casefold())
    if canonical is None:
        spellings = [latin] if latin.startswith("al-") else []
    else:
        spellings = [canonical, *VARIANTS[canonical]]
    out: list[str] = []
    for spelling in spellings + [f for s in spellings for f in _article_forms(s)]:
        if spelling != latin and spelling not in out:
            out.append(spelling)
    return out


@dataclass(frozen=True)
class Name:
    """A Levantine three-part name, in Arabic script and in Latin letters."""

    given_ar: str
    father_ar: str
    family_ar: str
    given_en: str
    father_en: str
    family_en: str

    @property
    def arabic(self) -> str:
        return f"{self.given_ar} {self.father_ar} {self.family_ar}"

    @property
    def latin(self) -> str:
        return f"{self.given_en} {self.father_en} {self.family_en}"


class _Weighted:
    """A weighted table of (arabic, latin) pairs, drawn with a given rng."""

    def __init__(self, table: tuple[tuple[str, str, int], ...]):
        self.names = tuple((ar, en) for ar, en, _ in table)
        self.cum_weights = tuple(accumulate(w for _, _, w in table))

    def draw(self, rng: random.Random) -> tuple[str, str]:
        return rng.choices(self.names, cum_weights=self.cum_weights)[0]


_MALE = _Weighted(MALE_GIVEN)
_FEMALE = _Weighted(FEMALE_GIVEN)
_FAMILY = _Weighted(FAMILY)


class NameGenerator:
    """Draws names from the tables above; all randomness comes from `rng`."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def family(self) -> tuple[str, str]:
        """(family_ar, family_en), e.g. ("الحلبي", "al-Halabi")."""
        return _FAMILY.draw(self.rng)

    def male_given(self) -> tuple[str, str]:
        return _MALE.draw(self.rng)

    def female_given(self) -> tuple[str, str]:
        return _FEMALE.draw(self.rng)

    def person(
        self,
        sex: str,
        family: tuple[str, str],
        father: tuple[str, str] | None = None,
    ) -> Name:
        """A person of `family`; `father` is the father's (or household
        head's) given name as (arabic, latin), drawn afresh when None."""
        if sex == "male":
            given = self.male_given()
        elif sex == "female":
            given = self.female_given()
        else:
            raise ValueError(f"sex must be 'male' or 'female', not {sex!r}")
        if father is None:
            father = self.male_given()
        return Name(given[0], father[0], family[0], given[1], father[1], family[1])

    def latin_variants(self, latin_given: str) -> list[str]:
        """Known spelling variants, e.g. Mohammed -> [Muhammad, Mohamad, ...]."""
        return latin_variants(latin_given)
