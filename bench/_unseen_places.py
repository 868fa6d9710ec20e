"""Hand-written street addresses for the unseen corpus (``bench.unseen``).

Streets and real towns of twenty countries, each written in its national order with its
postcode shape, house number and, sometimes, a flat, floor or unit. The whole address is
one STREET_ADDRESS label.
"""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["COUNTRIES", "address"]

_R = random.Random
_Fmt = Callable[[_R, str, tuple[str, ...]], str]


def _split(s: str) -> tuple[str, ...]:
    return tuple(s.split("|"))


def _towns(s: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(t.split(";")) for t in s.split("|"))


def _n(r: _R, hi: int = 180) -> int:
    return r.randint(1, hi)


def _us(r: _R, st: str, town: tuple[str, ...]) -> str:
    unit = r.choice(("", "", f", Apt {r.randint(1, 40)}{r.choice('ABCD')}", f" Ste {_n(r, 900)}"))
    return f"{r.randint(100, 9899)} {st}{unit}, {town[0]}, {town[1]} {town[2]}{r.randint(10, 99)}"


def _uk(r: _R, st: str, town: tuple[str, ...]) -> str:
    flat = r.choice(("", "", f"Flat {_n(r, 12)}, ", f"{r.choice(('Ivy', 'Rowan'))} Cottage, "))
    pc = f"{town[1]}{r.randint(1, 9)} {r.randint(1, 9)}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}" \
         f"{r.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    return f"{flat}{_n(r, 140)} {st}, {town[0]} {pc}"


def _de(r: _R, st: str, town: tuple[str, ...]) -> str:
    extra = r.choice(("", "", f", {r.randint(1, 5)}. OG", f"{r.choice('abc')}"))
    return f"{st} {_n(r, 120)}{extra}, {town[1]}{r.randint(1, 9)} {town[0]}"


def _at(r: _R, st: str, town: tuple[str, ...]) -> str:
    door = r.choice(("", f"/{r.randint(1, 4)}/{r.randint(1, 20)}", f"/Top {r.randint(1, 30)}"))
    return f"{st} {_n(r, 90)}{door}, {town[1]} {town[0]}"


def _ch(r: _R, st: str, town: tuple[str, ...]) -> str:
    return f"{st} {_n(r, 80)}{r.choice(('', 'a'))}, {town[1]} {town[0]}"


def _fr(r: _R, st: str, town: tuple[str, ...]) -> str:
    bis = r.choice(("", "", " bis", " ter"))
    apt = r.choice(("", "", f", Bât. {r.choice('ABC')}, {r.randint(1, 6)}e étage"))
    return f"{_n(r, 90)}{bis} {st}{apt}, {town[1]}{r.choice(('0', '1'))}0 {town[0]}"


def _es(r: _R, st: str, town: tuple[str, ...]) -> str:
    floor = r.choice(("", f", {r.randint(1, 8)}º {r.choice(('izq.', 'dcha.', 'B', 'A'))}"))
    return f"{st} {_n(r, 140)}{floor}, {town[1]}{r.randint(10, 99):02d} {town[0]}"


def _it(r: _R, st: str, town: tuple[str, ...]) -> str:
    scala = r.choice(("", "", f", scala {r.choice('ABC')}, int. {r.randint(1, 18)}"))
    return f"{st} {_n(r, 160)}{scala}, {town[1]}{r.randint(0, 9)} {town[0]} {town[2]}"


def _nl(r: _R, st: str, town: tuple[str, ...]) -> str:
    suffix = r.choice(("", "", "-2", "-hs", f" {r.choice('ABC')}"))
    pc = f"{town[1]}{r.randint(0, 99):02d} {r.choice('BCDEGHJKLMNPRTVXZ')}{r.choice('BDGHJLPRTZ')}"
    return f"{st} {_n(r, 300)}{suffix}, {pc} {town[0]}"


def _pl(r: _R, st: str, town: tuple[str, ...]) -> str:
    flat = r.choice(("", f"/{r.randint(1, 60)}", f" m. {r.randint(1, 60)}"))
    return f"ul. {st} {_n(r, 99)}{flat}, {town[1]}-{r.randint(0, 999):03d} {town[0]}"


def _cz(r: _R, st: str, town: tuple[str, ...]) -> str:
    return f"{st} {r.randint(100, 2999)}/{_n(r, 90)}, {town[1]} {r.randint(0, 9)}0 {town[0]}"


def _nordic_street_first(r: _R, st: str, town: tuple[str, ...]) -> str:
    flat = f" lgh {r.randint(10, 16)}0{r.randint(1, 9)}" if " " in town[1] else ""  # SE only
    lgh = r.choice(("", "", flat, f" {r.choice('AB')}"))
    return f"{st} {_n(r, 70)}{lgh}, {town[1]} {town[0]}"


def _dk(r: _R, st: str, town: tuple[str, ...]) -> str:
    floor = r.choice(("", f", {r.randint(1, 5)}. {r.choice(('th.', 'tv.', 'mf.'))}", ", st."))
    return f"{st} {_n(r, 99)}{floor}, {town[1]} {town[0]}"


def _pt(r: _R, st: str, town: tuple[str, ...]) -> str:
    floor = r.choice(("", f", {r.randint(1, 7)}.º {r.choice(('Esq.', 'Dto.', 'Frente'))}"))
    return f"{st}, {_n(r, 400)}{floor}, {town[1]}-{r.randint(100, 999)} {town[0]}"


def _ie(r: _R, st: str, town: tuple[str, ...]) -> str:
    apt = r.choice(("", "", f"Apartment {_n(r, 30)}, "))
    code = f"{town[1]} {r.choice('ACDEFHKNPRTVWXY')}{r.randint(1, 9)}" \
           f"{r.choice('ACDEFHKNPRTVWXY')}{r.randint(1, 9)}"
    return f"{apt}{_n(r, 60)} {st}, {town[0]}, Co. {town[2]}, {code}"


def _au(r: _R, st: str, town: tuple[str, ...]) -> str:
    unit = r.choice(("", f"Unit {_n(r, 20)}, ", f"{_n(r, 12)}/"))
    return f"{unit}{_n(r, 200)} {st}, {town[0]} {town[1]} {town[2]}"


def _ca(r: _R, st: str, town: tuple[str, ...]) -> str:
    unit = r.choice(("", f"{_n(r, 2400)}-", f"Unit {_n(r, 90)}, "))
    pc = f"{town[2]}{r.randint(1, 9)}{r.choice('ABCEGHJKLMNPRSTVXY')} " \
         f"{r.randint(1, 9)}{r.choice('ABCEGHJKLMNPRSTVXY')}{r.randint(1, 9)}"
    return f"{unit}{_n(r, 9000)} {st}, {town[0]} {town[1]} {pc}"


def _br(r: _R, st: str, town: tuple[str, ...]) -> str:
    apto = r.choice(("", f", apto {r.randint(11, 184)}", f", bloco {r.choice('AB')}"))
    return f"{st}, {_n(r, 2500)}{apto} - {town[3]}, {town[0]} - {town[1]}, " \
           f"{town[2]}{r.randint(0, 999):03d}-{r.randint(0, 999):03d}"


COUNTRIES: dict[str, tuple[_Fmt, tuple[str, ...], tuple[tuple[str, ...], ...]]] = {
    "US": (_us, _split("Maple Ridge Dr|W Cermak Rd|Juniper Hollow Ln|NE Alberta St|"
                       "Old Mill Pike|Palmetto Bluff Rd|Buckeye Ave"),
           _towns("Bozeman;MT;597|Asheville;NC;288|Duluth;MN;558|Tucson;AZ;857|"
                  "Burlington;VT;054|Savannah;GA;314|Spokane;WA;992")),
    "GB": (_uk, _split("Ashgrove Terrace|Wellington Crescent|Mill Lane|Tanner's Row|"
                       "Kingsdown Parade|Carr Bank Road"),
           _towns("Harrogate;HG|Penzance;TR|Lancaster;LA|Aberystwyth;SY|Inverness;IV")),
    "DE": (_de, _split("Lindenstraße|Am Kupfergraben|Schanzenweg|Bismarckallee|"
                       "Hinter der Mauer|Zeppelinring"),
           _towns("Freiburg im Breisgau;7909|Lüneburg;2133|Erfurt;9908|Bamberg;9604|"
                  "Kiel;2410")),
    "AT": (_at, _split("Mariahilfer Straße|Herrengasse|Linzer Gasse|Kaiser-Josef-Platz"),
           _towns("Wien;1070|Graz;8010|Salzburg;5020|Innsbruck;6020")),
    "CH": (_ch, _split("Bahnhofstrasse|Rue du Marché|Spalenberg|Via Nassa|Kramgasse"),
           _towns("Zürich;8001|Genève;1204|Basel;4051|Lugano;6900|Bern;3011")),
    "FR": (_fr, _split("rue des Tanneurs|avenue Jean-Jaurès|impasse des Glycines|"
                       "quai de la Fosse|boulevard Carnot"),
           _towns("Strasbourg;670|Nantes;440|Besançon;250|Aix-en-Provence;131|Rennes;350")),
    "ES": (_es, _split("Calle de Zurbarán|Carrer de Verdi|Avenida de la Constitución|"
                       "Rúa do Vilar|Calle Mayor"),
           _towns("Madrid;280|Barcelona;080|Sevilla;410|Santiago de Compostela;157|"
                  "Zaragoza;500")),
    "IT": (_it, _split("Via dei Mille|Corso Vittorio Emanuele II|Via San Vitale|"
                       "Borgo Pinti|Viale Regina Margherita"),
           _towns("Bologna;4012;BO|Torino;1012;TO|Firenze;5012;FI|Lecce;7310;LE|"
                  "Bergamo;2412;BG")),
    "NL": (_nl, _split("Prinsengracht|Oudegracht|Kruisstraat|Vismarkt|Nieuwe Binnenweg"),
           _towns("Amsterdam;10|Utrecht;35|Groningen;97|Rotterdam;30|Leeuwarden;89")),
    "PL": (_pl, _split("Długa|Piotrkowska|Świętojańska|Krakowskie Przedmieście|"
                       "Mickiewicza"),
           _towns("Gdańsk;80|Łódź;90|Gdynia;81|Lublin;20|Wrocław;50")),
    "CZ": (_cz, _split("Vinohradská|Údolní|Masarykova|Palackého|Husova"),
           _towns("Praha 2;120|Brno;602|Olomouc;779|Plzeň;301")),
    "SE": (_nordic_street_first, _split("Storgatan|Kungsgatan|Drottninggatan|Västra Hamngatan"),
           _towns("Umeå;903 26|Uppsala;753 20|Malmö;211 42|Göteborg;411 04|Luleå;972 31")),
    "NO": (_nordic_street_first, _split("Storgata|Thorvald Meyers gate|Kirkegata|Bryggen"),
           _towns("Oslo;0182|Bergen;5003|Tromsø;9008|Trondheim;7011")),
    "FI": (_nordic_street_first, _split("Hämeenkatu|Aleksanterinkatu|Kauppakatu"),
           _towns("Tampere;33100|Helsinki;00100|Jyväskylä;40100")),
    "DK": (_dk, _split("Nørregade|Jægergårdsgade|Vesterbrogade|Algade"),
           _towns("Aarhus C;8000|København V;1620|Odense C;5000|Aalborg;9000")),
    "PT": (_pt, _split("Rua de Santa Catarina|Avenida da Liberdade|Rua Ferreira Borges|"
                       "Travessa do Carmo"),
           _towns("Porto;4000|Lisboa;1250|Coimbra;3000|Braga;4700")),
    "IE": (_ie, _split("Grattan Street|Shop Street|Bridge Street Upper|Strand Road"),
           _towns("Sligo;F91;Sligo|Galway;H91;Galway|Tralee;V92;Kerry|Dundalk;A91;Louth")),
    "AU": (_au, _split("Jacaranda Ave|Brunswick St|Gouger Street|Kembla Street|Esplanade"),
           _towns("Toowoomba;QLD;4350|Fitzroy;VIC;3065|Adelaide;SA;5000|Wollongong;NSW;2500|"
                  "Fremantle;WA;6160")),
    "CA": (_ca, _split("Rue Sherbrooke O|Maple Crescent|Whyte Ave NW|Barrington St|"
                       "Portage Ave"),
           _towns("Montréal;QC;H|Kelowna;BC;V|Edmonton;AB;T|Halifax;NS;B|Winnipeg;MB;R")),
    "BR": (_br, _split("Rua Augusta|Avenida Sete de Setembro|Rua da Aurora|Rua XV de Novembro"),
           _towns("São Paulo;SP;01;Consolação|Salvador;BA;40;Barra|Recife;PE;50;Boa Vista|"
                  "Curitiba;PR;80;Centro")),
}


def address(r: random.Random, country: str | None = None) -> tuple[str, str]:
    """(country code, full address) in that country's own order."""
    code = country or r.choice(list(COUNTRIES))
    fmt, streets, towns = COUNTRIES[code]
    return code, fmt(r, r.choice(streets), r.choice(towns))
