"""Hand-written personal names for the unseen corpus (``bench.unseen``).

Lists were typed for this corpus only (no Faker or other test-data lists). Each tradition
has its own given and family names and its own order: Hungarian, Chinese, Vietnamese and
often Japanese names put the family name first. Particles, diacritics, hyphenated names
and titles are drawn here too; titles stay outside the PERSON label.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["FAMILY_COUNT", "GIVEN_COUNT", "Name", "draw_name", "title"]


@dataclass(frozen=True)
class _Tradition:
    given: tuple[str, ...]
    family: tuple[str, ...]
    family_first: float  # odds of "Family Given" order
    weight: float


def _t(given: str, family: str, family_first: float = 0.0, weight: float = 1.0) -> _Tradition:
    return _Tradition(tuple(given.split("|")), tuple(family.split("|")), family_first, weight)


_TRADITIONS: dict[str, _Tradition] = {
    "romance": _t(
        "Giulia|Lorenzo|Chiara|Matteo|Beatriz|Joaquín|Inês|Gonçalo|Margaux|Étienne|Ségolène|"
        "Thibault|Ximena|Rodrigo|Leonor|Vasco|Amélie|Raffaele|Nuria|Íñigo|Maëlle|Ludovica",
        "Ferraro|Lombardi|Caruso|Marchetti|Cienfuegos|Etxeberria|Barrionuevo|Quintanilla|"
        "Carvalho|Magalhães|Gonçalves|Lefebvre|Gauthier|Dubreuil|Benedetti|Ibáñez|Peñalosa|"
        "de la Fuente|dos Santos Pires|di Stefano|del Castillo|de Oliveira|Le Guennec",
        weight=2.0),
    "germanic": _t(
        "Anneliese|Jörg|Wiebke|Malte|Friederike|Sönke|Henrike|Ulrich|Gerrit|Marijke|Sjoerd|"
        "Femke|Joost|Roos|Bastiaan|Liesbeth|Hannelore|Detlef",
        "Brandstätter|Kühnel|Oberdorfer|Weißkopf|Hagedorn|Schwarzenberger|Dijkstra|Hoekstra|"
        "Verbeek|Kuipers|van der Linden|van den Broek|de Vries|von Ahlefeldt|ter Horst|"
        "Müller-Lüdenscheidt|Grünewald|Vandenberghe",
        weight=1.5),
    "slavic": _t(
        "Wojciech|Małgorzata|Grzegorz|Agnieszka|Přemysl|Zdeňka|Radek|Dobromila|Svetlana|"
        "Dmitri|Oksana|Bohdan|Milica|Dragan|Jelena|Vesna",
        "Wiśniewska|Szczepański|Kołodziej|Dąbrowski|Nováková|Dvořák|Procházka|Hrubá|"
        "Kuznetsova|Volkov|Shevchenko|Kovalenko|Petrović|Jovanović|Đorđević|Zieliński"),
    "nordic": _t(
        "Sigrid|Torbjørn|Åsa|Leif|Ingeborg|Björn|Sølvi|Halvard|Liv|Eero|Aino|Jukka|Ragnhild|"
        "Þórunn|Gunnar",
        "Lindqvist|Sjöberg|Åkesson|Bergström|Haugland|Østby|Kristiansen|Fjeldstad|Nørgaard|"
        "Mikkelsen|Virtanen|Häkkinen|Jónsdóttir|Sigurðsson|Ekström-Lund"),
    "turkish": _t(
        "Ayşe|Mehmet|Çağla|Oğuz|Elif|Burak|Gülşen|Hakan|Şebnem|Yiğit",
        "Yılmaz|Öztürk|Çelik|Aydın|Kaya|Şahin|Doğan|Arslan|Kılıç|Güneş"),
    "vietnamese": _t(
        "Thị Lan|Văn Minh|Quang Huy|Ngọc Anh|Thanh Tùng|Bảo Trâm|Đức Anh|Hải Yến",
        "Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Võ|Đặng|Bùi|Đỗ", family_first=0.85),
    "west_african": _t(
        "Adebayo|Chiamaka|Kwabena|Akosua|Oluwaseun|Ngozi|Mamadou|Fatoumata|Yaw|Abena|"
        "Chukwuemeka|Aminata|Babatunde|Ifeoma|Kofi|Adwoa",
        "Okonkwo|Adeyemi|Mensah|Asante|Diallo|Ndiaye|Ogunleye|Boateng|Eze|Nwachukwu|Traoré|"
        "Owusu|Sow|Abubakar|Olawale|Agyeman-Duah", weight=1.2),
    "south_asian": _t(
        "Ananya|Siddharth|Priyanka|Arjun|Lakshmi|Venkatesh|Harpreet|Gurdeep|Ishaan|"
        "Meenakshi|Rukhsana|Tanvir|Nirmala|Kavya|Rohan|Sanjana",
        "Raghunathan|Chatterjee|Bhattacharya|Iyer|Deshpande|Sandhu|Kulkarni|Chowdhury|"
        "Rahman|Perera|Jayasuriya|Menon|Subramaniam|Malhotra|Reddy|Wickramasinghe",
        weight=1.2),
    "irish": _t(
        "Siobhán|Pádraig|Aoife|Ciarán|Niamh|Oisín|Gráinne|Tadhg|Caoimhe|Eoghan|Róisín|Cathal",
        "O'Sullivan|Mac Giolla Phádraig|Ní Bhriain|Ó Dónaill|McGillicuddy|Fitzgerald|"
        "O'Driscoll|Ní Mhurchú|Ó Briain|Kavanagh|Breathnach|MacCarthy"),
    "arabic": _t(
        "Layla|Yousef|Noura|Khalid|Mariam|Tariq|Salma|Omar|Hiba|Faisal|Rania|Bilal",
        "al-Hashimi|bin Saleh|Haddad|El-Amin|Mansour|Abdelrahman|al-Qahtani|Khoury|Bouzid|"
        "Nasser|bin Rashid|Al Mazrouei"),
    "greek": _t(
        "Eleni|Dimitrios|Konstantina|Spyros|Theodora|Panagiotis|Vasiliki|Nikos|Athina|Stavros",
        "Papadopoulou|Georgiou|Karamanlis|Oikonomou|Christodoulou|Nikolaidis|Vlachos|"
        "Antonopoulos|Tsakiris|Papanikolaou"),
    "hungarian": _t(
        "Zsófia|Bence|Réka|Levente|Krisztina|Gábor|Ildikó|Botond|Erzsébet|Ádám",
        "Kovács|Szabó|Nagy|Horváth|Tóth|Varga|Farkas|Lakatos|Szűcs|Bálint", family_first=0.7),
    "chinese": _t(
        "Xiaoming|Jiayi|Zihan|Wenjie|Yuting|Haoran|Meiling|Zhiwei|Shufen|Guoqiang",
        "Zhang|Wang|Liu|Chen|Huang|Zhou|Xu|Sun|Ouyang|Sima", family_first=0.75),
    "japanese": _t(
        "Haruka|Takumi|Yui|Sōta|Misaki|Ren|Aoi|Kenta|Naoko|Hiroshi",
        "Takahashi|Watanabe|Yamaguchi|Kobayashi|Nakamura|Inoue|Matsumoto|Fujiwara|Ishikawa|"
        "Hayashi", family_first=0.5),
}

GIVEN_COUNT = len({g for t in _TRADITIONS.values() for g in t.given})
FAMILY_COUNT = len({f for t in _TRADITIONS.values() for f in t.family})

_TITLES = ("Mrs ", "Mr ", "Ms ", "Dr ", "Dr. ", "Prof. ", "Prof. Dr. ", "Mx ", "Sra. ",
           "Herr ", "Frau ", "Mme ", "M. ", "Sig.ra ", "Capt. ")


@dataclass(frozen=True)
class Name:
    """One drawn name: ``full`` as written, plus parts for e-mail local parts."""

    full: str
    given: str
    family: str
    tradition: str


def draw_name(r: random.Random) -> Name:
    """A full name in its tradition's order; sometimes a double given or family name."""
    key = r.choices(list(_TRADITIONS), weights=[t.weight for t in _TRADITIONS.values()])[0]
    tr = _TRADITIONS[key]
    given, family = r.choice(tr.given), r.choice(tr.family)
    roll = r.random()
    if key in ("romance", "germanic", "nordic") and roll < 0.12:
        other = r.choice(tr.given)
        if other != given:
            given = f"{given}-{other}" if key != "romance" else f"{given} {other}"
    elif key == "romance" and roll < 0.25 and " " not in family:
        family = f"{family} {r.choice(tr.family)}"  # Iberian double surname
    elif key == "irish" and family.startswith("Ní "):
        given = r.choice(("Aoife", "Niamh", "Gráinne", "Caoimhe", "Róisín", "Siobhán"))
    if r.random() < tr.family_first:
        full = f"{family.upper() if key == 'japanese' and roll < 0.2 else family} {given}"
    elif r.random() < 0.08 and key in ("germanic", "slavic", "greek", "south_asian"):
        full = f"{family}, {given}"  # directory order
    else:
        full = f"{given} {family}"
    return Name(full, given, family, key)


def title(r: random.Random) -> str:
    """A courtesy or academic title with its trailing space, or an empty string."""
    return r.choice(_TITLES) if r.random() < 0.25 else ""
