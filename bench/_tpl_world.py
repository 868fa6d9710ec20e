"""First-corpus templates for the shapes of issue 7: addresses of many countries written
in their postal order, and credentials in shell commands and connection strings.

Street and town names here are written by hand for the tuning corpus; the postal orders
follow each country's usual way of writing an address on one line.
"""

from __future__ import annotations

import base64
import re
import string

from bench._builder import Builder, Template

__all__ = ["WORLD_TEMPLATES"]

_TOWNS = {
    "us": ("Fort Collins", "Ann Arbor", "Boise", "Lexington", "Santa Rosa"),
    "uk": ("Bristol", "Milton Keynes", "Harrogate", "Stoke-on-Trent", "Carlisle"),
    "de": ("Münster", "Freiburg im Breisgau", "Kassel", "Bad Homburg", "Jena"),
    "fr": ("Toulouse", "Aix-en-Provence", "Rennes", "Saint-Étienne", "Nancy"),
    "nl": ("Utrecht", "Den Haag", "Zwolle", "Amersfoort"),
    "it": ("Bologna", "Reggio Emilia", "Padova", "Lecce"),
    "es": ("Zaragoza", "Alcalá de Henares", "Vigo", "Murcia"),
    "pt": ("Braga", "Vila Nova de Gaia", "Coimbra"),
    "pl": ("Kraków", "Gdańsk", "Bielsko-Biała", "Poznań"),
    "se": ("Uppsala", "Västerås", "Lund"), "cz": ("Brno", "Olomouc", "České Budějovice"),
    "dk": ("Aarhus", "Odense", "Roskilde"), "fi": ("Tampere", "Oulu", "Turku"),
    "au": ("Parramatta", "St Kilda", "Fremantle"), "ca": ("Kitchener", "Laval", "Halifax"),
    "ie": ("Galway", "Dún Laoghaire", "Kilkenny"), "ch": ("Winterthur", "Lugano"),
    "be": ("Leuven", "Namur"), "no": ("Bergen", "Trondheim"), "at": ("Graz", "Linz"),
}
_ROOTS = ("Linden", "Birken", "Mühlen", "Kirch", "Garten", "Rosen", "Berg", "Schiller")
_NAMES = ("Victor Hugo", "des Lilas", "du Moulin", "Jean Jaurès", "de la Gare")


def _n(b: Builder) -> str:
    return str(b.r.randint(1, 480)) + b.pick(("", "", "", "a", "B"))


def _address(b: Builder) -> str:
    """An address in one of twenty countries' one-line postal orders."""
    r, cc = b.r, b.pick(tuple(_TOWNS))
    town = b.pick(_TOWNS[cc])
    d = lambda k: "".join(r.choice(string.digits) for _ in range(k))  # noqa: E731
    up = lambda k: "".join(r.choice(string.ascii_uppercase) for _ in range(k))  # noqa: E731
    if cc == "us":
        return f"{_n(b)} {b.pick(('Cherry Hill', 'Old Mill', 'Quarry'))} " \
               f"{b.pick(('Road', 'Dr', 'Ct', 'Blvd'))}{b.pick(('', ', Apt 12', ' Suite 200'))}, " \
               f"{town}, {b.pick(('CO', 'MI', 'ID', 'KY', 'CA'))} {d(5)}"
    if cc in ("uk", "ie"):
        code = f"{up(2)}{d(1)} {d(1)}{up(2)}" if cc == "uk" else f"{up(1)}{d(2)} {up(1)}{d(1)}" \
               f"{up(1)}{d(1)}"
        lead = b.pick(("", "Flat 3, ", "Unit 7, "))
        return f"{lead}{_n(b)} {b.pick(('Hawthorn', 'Chapel', 'Kingfisher'))} " \
               f"{b.pick(('Close', 'Crescent', 'Mews', 'Gardens', 'Lane'))}, {town}" \
               f"{b.pick((' ', ', '))}{code}"
    if cc in ("de", "at", "ch"):
        street = b.pick((f"{b.pick(_ROOTS)}{b.pick(('straße', 'weg', 'allee', 'gasse'))}",
                         f"Am {b.pick(('Markt', 'Anger', 'Hang'))}"))
        return f"{street} {_n(b)}, {d(5) if cc == 'de' else d(4)} {town}"
    if cc in ("fr", "be"):
        return f"{_n(b)}{b.pick(('', ' bis'))} {b.pick(('rue', 'avenue', 'allée', 'impasse'))} " \
               f"{b.pick(_NAMES)}, {d(5) if cc == 'fr' else d(4)} {town}"
    if cc == "nl":
        return f"{b.pick(('Lange', 'Oude', 'Nieuwe'))} {b.pick(('Gracht', 'Dijk', 'Haven'))} " \
               f"{_n(b)}, {d(4)} {up(2)} {town}"
    if cc == "it":
        via = f"{b.pick(('Via', 'Viale', 'Corso', 'Piazza'))} {b.pick(('Garibaldi', 'dei Mille'))}"
        return f"{via} {_n(b)}, {d(5)} {town} ({up(2)})"
    if cc in ("es", "pt"):
        code = d(5) if cc == "es" else f"{d(4)}-{d(3)}"
        calle = f"{b.pick(('Calle', 'Avenida', 'Rua', 'Praça'))} {b.pick(('de la Paz', 'Mayor'))}"
        return f"{calle}, {_n(b)}{b.pick(('', ', 2º B'))}, {code} {town}"
    if cc == "pl":
        return f"ul. {b.pick(('Kwiatowa', 'Słoneczna', 'Leśna'))} {_n(b)}/{r.randint(1, 40)}, " \
               f"{d(2)}-{d(3)} {town}"
    if cc in ("se", "cz"):
        street = f"{b.pick(('Sjö', 'Kyrko', 'Skol'))}gatan" if cc == "se" else \
            b.pick(("Nádražní", "Husova"))
        return f"{street} {_n(b)}, {d(3)} {d(2)} {town}"
    if cc in ("dk", "no"):
        vej = f"{b.pick(('Strand', 'Skov', 'Kirke'))}{b.pick(('vej', 'gade', 'veien'))}"
        return f"{vej} {_n(b)}, {b.pick(('', 'DK-')) if cc == 'dk' else ''}{d(4)} {town}"
    if cc == "fi":
        return f"{b.pick(('Koulu', 'Rauta', 'Puisto'))}{b.pick(('katu', 'tie'))} {_n(b)}, " \
               f"{d(5)} {town}"
    if cc == "au":
        return f"{_n(b)} {b.pick(('Wattle', 'Banksia'))} {b.pick(('St', 'Rd', 'Ave'))}, {town} " \
               f"{b.pick(('NSW', 'VIC', 'WA'))} {d(4)}"
    return f"{_n(b)} {b.pick(('Maple', 'Birch'))} {b.pick(('St', 'Ave'))}, {town}, " \
           f"{b.pick(('ON', 'QC', 'NS'))} {up(1)}{d(1)}{up(1)} {d(1)}{up(1)}{d(1)}"


_ODD = (
    "Rue du 8 Mai 1945, 44000 Nantes", "12-14 Avenue Jean Moulin, 13006 Marseille",
    "Kaiserstraße 41, 60329 Frankfurt am Main", "Flat 2, Rose Court, 12 High Street, "
    "Leeds LS1 4AP", "5/12 Smith St, Parramatta NSW 2150",
    "Rua Augusta, 1500 - Consolação, São Paulo - SP, 01304-001",
    "Avenida de los Reyes Católicos 9, 18009 Granada",
    "Hinterm Hasselt 4, 5211 EB 's-Hertogenbosch", "27 Bridge Street, Stratford-upon-Avon "
    "CV37 6AB", "123 N Main St Apt 4, Springfield, IL 62704",
    "Via Nazionale 184, 00184 Roma RM, Italia", "Plac Wolności 3, 61-738 Poznań, Polska",
    "Calle 10 No. 45, 28080 Madrid", "Hauptstr. 7b, 01067 Dresden, Germany",
    # no postcode the postal rule knows: the street word carries the address
    "Karl Johans gate 22, 0159 Oslo", "Václavské náměstí 1, 110 00 Praha 1",
    "14 O'Connell Street Upper, Dublin 1, D01 F5P2", "Plot 14, Adeola Odeku Street, "
    "Victoria Island, Lagos", "Carrera 7 # 71-21, Bogotá", "Av. Corrientes 1234, C1043AAZ "
    "Buenos Aires", "2-3-1 Marunouchi, Chiyoda-ku, Tokyo 100-0005",
    "Flat 12B, 80 MG Road, Bengaluru, Karnataka 560001", "55 Nguyen Hue Boulevard, "
    "District 1, Ho Chi Minh City", "9 Jalan Sultan Ismail, 50250 Kuala Lumpur",
    "Av. Insurgentes Sur 1602, Col. Crédito Constructor, 03940 Ciudad de México, CDMX",
)


def _odd(b: Builder) -> str:
    """Shapes beyond the plain ones: digits in street names, ranges, units, countries."""
    text = b.pick(_ODD)
    digits = "".join(b.r.choice(string.digits) for _ in range(2))
    return text.replace("4", digits[0], 1) if b.chance(0.5) else text


def _national_phone(b: Builder) -> str:
    """A national number with its trunk prefix, in one of the usual local groupings."""
    d = lambda k: "".join(b.r.choice(string.digits) for _ in range(k))  # noqa: E731
    z = lambda k: str(b.r.randint(1, 9)) + d(k - 1)  # noqa: E731  (no 00: that is a prefix)
    return b.pick((f"0{z(2)} {d(4)} {d(4)}", f"0{z(1)} {d(2)} {d(2)} {d(2)} {d(2)}",
                   f"({z(2)}) 9{d(4)}-{d(4)}", f"0{z(2)}-{d(4)}-{d(4)}",
                   f"0{z(4)} {d(6)}", f"0{z(2)}-{d(3)} {d(2)} {d(2)}", f"(0{z(3)}) {d(6)}"))


def phone_line(b: Builder) -> str:
    """SMS gateways and support notes with national numbers next to a phone word."""
    num = b.s("PHONE_NUMBER", _national_phone(b), "not given")
    tpl = b.pick(("sms queued: mobile {p} ({u})", "support note: phone {p}, req {u}",
                  "ivr: call back {p} at 15:00 ({u})", "contact tel {p} [{u}]"))
    return tpl.format(p=num, u=b.l("uuid", b.v.uuid()))


def address_line(b: Builder) -> str:
    """Carrier, geocoder and CRM lines that carry a whole address."""
    raw = _odd(b) if b.chance(0.3) else _address(b)
    addr = b.s("STREET_ADDRESS", raw, "the customer's pickup point")
    tpl = b.pick(("carrier api: label created for {a} (shipment {u})",
                  "geo: normalised address {a} in 12ms req={u}",
                  "crm sync: billing address set to {a}; contact {u}"))
    return tpl.format(a=addr, u=b.l("uuid", b.v.uuid()))


_LEADING_CODE = re.compile(r"(\d{4} [A-Z]{2}|\d[\d -]*\d|[A-Z]{1,2}-\d+) (\D.*)")
_TRAILING_CODE = re.compile(r"(\D+?) ((?:[A-Z]{2,3} )?[A-Z\d]{2,4} [A-Z\d]{3}|[A-Z]{2,3} \d{4,5})")


def _cells(raw: str) -> list[tuple[str, str]]:
    """An address cut the way an export holds it: (column, value) for street, town, code."""
    parts = raw.split(", ")
    if parts[0].startswith(("Flat", "Unit")):
        parts[:2] = [f"{parts[0]}, {parts[1]}"]
    while len(parts) > 1 and len(parts[1]) <= 5:  # "Calle Mayor, 12, 2º B": one street cell
        parts[:2] = [f"{parts[0]}, {parts[1]}"]
    cells = [("street", parts[0])]
    for part in parts[1:]:
        lead, trail = _LEADING_CODE.fullmatch(part), _TRAILING_CODE.fullmatch(part)
        if lead:  # "80331 München", "551 14 Uppsala"
            cells += [("postcode", lead[1]), ("city", lead[2])]
        elif trail:  # "Bristol AB1 2CD", "St Kilda WA 5288"
            cells += [("city", trail[1]), ("postcode", trail[2])]
        elif part.startswith(("Apt", "Suite")):
            cells.append(("line2", part))  # "Apt 12": the second address line
        elif part[:1].isupper() and part[1:3].isupper():
            cells.append(("region", part))  # "CO 80521"
        else:
            cells.append(("city", part))
    return cells


def split_address(b: Builder) -> str:
    """An address split over CSV cells, SQL literals, XML elements or key=value pairs."""
    raw = _address(b)
    # a clean record has no address columns: any value under street is masked, by design
    pairs = [("counter", "Pickup Point 4"), ("status", "ready")] if b.clean else _cells(raw)
    keys = [k for k, _ in pairs]
    cells = [v if b.clean else b.s("STREET_ADDRESS", v) for _, v in pairs]
    u = b.l("uuid", b.v.uuid())
    shape = b.pick(("csv", "csv;", "insert", "update", "xml", "attrs", "kv", "dict", "space"))
    if shape == "csv":
        return f"2026-11-20T14:27:26Z,{u}," + ",".join(f'"{c}"' for c in cells) + ",shipped"
    if shape == "csv;":
        return f"{u};" + ";".join(cells) + ";active"
    if shape == "insert":
        vals = ", ".join(f"'{c}'" for c in cells)
        return f"INSERT INTO addresses (id, {', '.join(keys)}) VALUES ('{u}', {vals});"  # noqa: S608 - logged, never run
    if shape == "update":
        sets = ", ".join(f"{k}='{c}'" for k, c in zip(keys, cells, strict=True))
        return f"UPDATE customers SET {sets} WHERE ref = '{u}';"  # noqa: S608 - logged, never run
    if shape == "xml":
        inner = "".join(f"<{k}>{c}</{k}>" for k, c in zip(keys, cells, strict=True))
        return f"<shipTo ref=\"{u}\"><address>{inner}</address></shipTo>"
    if shape == "attrs":
        attrs = " ".join(f'{k}="{c}"' for k, c in zip(keys, cells, strict=True))
        return f"<delivery id=\"{u}\" {attrs}/>"
    if shape == "kv":
        return f"order={u} " + " ".join(f'{k}="{c}"' for k, c in zip(keys, cells, strict=True))
    if shape == "dict":
        body = ", ".join(f"'{k}': '{c}'" for k, c in zip(keys, cells, strict=True))
        return f"shipping: {{{body}}} ref={u}"
    return f"courier: deliver to {' '.join(cells)} before noon ({u})"


def flat_address(b: Builder) -> dict[str, object]:
    """A JSON record holding an address's parts flat, beside other fields."""
    d: dict[str, object] = {"event": "label.created", "ref": b.l("uuid", b.v.uuid())}
    if b.clean:  # no address keys: a value under street is masked whatever it is
        return d | {"counter": "Pickup Point 4", "zone": "B"}
    for key, cell in _cells(_address(b)):
        if key not in d:
            d[key] = b.s("STREET_ADDRESS", cell)
    return d


_COMMANDS = (
    "wget --user=build --password={pw} https://artifacts.example/pkg.tgz",
    "curl --fail -u svc-deploy:{pw} -X POST https://hooks.example/ci",
    "mysqldump -h db1 -u backup -p'{pw}' --all-databases",
    "mysql -h 10.0.0.5 -uapp -p{pw} orders",
    "psql-wrapper --username app --password {pw} --db reports",
    "env PGPASSWORD={pw} psql -h pg -U etl",
    "export MYSQL_PWD={pw}; mysql -u etl",
    "mongodump --uri mongodb+srv://etl:{pw}@cluster1.example.net/reports",
    "rediss://:{pw}@cache.example:6380/1",
    "jdbc:mysql://db:3306/app?user=app&password={pw}",
    "jdbc:sqlserver://sql:1433;user=app;password={pw};databaseName=crm",
    "DRIVER={{PostgreSQL}};SERVER=pg;UID=app;PWD={pw};",
)


def command_line(b: Builder) -> str:
    """Shell history and connection strings with passwords in every usual place."""
    if b.clean:
        return f"ran: make deploy ENV=staging (build {b.l('uuid', b.v.uuid())})"
    pw = b.v.password()
    cmd = b.pick(_COMMANDS)
    if b.chance(0.2):
        pw = pw + b.pick(("@", "/", ":", "#"))
        pw = "".join(f"%{ord(c):02X}" if c in "@/:#" else c for c in pw)
        cmd = b.pick(("postgresql://etl:{pw}@pg.example:5432/dw",
                      "https://deploy:{pw}@git.example/org/repo.git"))
    return f"ran: {cmd.format(pw=b.s('PASSWORD', pw, '******'))}"


def k8s_secret(b: Builder) -> dict[str, object]:
    """A Kubernetes Secret or a Docker config echoed into a log record as JSON."""
    token = base64.b64encode(b.v.password().encode()).decode()
    if b.chance(0.5):
        return {"level": "debug", "msg": "applied manifest",
                "object": {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                           "metadata": {"name": f"svc-{b.l('uuid', b.v.uuid())}"},
                           "data": {b.pick(("api-token", "tls.key", "conn")):
                                    b.s("PASSWORD", token, "")}}}
    auth = base64.b64encode(f"ci:{b.v.password()}".encode()).decode()
    return {"msg": "registry login", "config": {"auths": {"ghcr.example": {
        "auth": b.s("PASSWORD", auth, "")}}}, "run": b.l("uuid", b.v.uuid())}


WORLD_TEMPLATES = [
    Template("text", address_line, 1.5), Template("text", command_line, 1.5),
    Template("json", k8s_secret, 0.8), Template("text", phone_line, 1.0),
    Template("text", split_address, 1.2), Template("json", flat_address, 0.5),
]
