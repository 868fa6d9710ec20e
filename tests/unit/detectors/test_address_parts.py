"""An address split over cells, literals, elements or pairs is masked part by part."""

from __future__ import annotations

import json
import math

import pytest

from processor.detectors.address_parts import address_parts
from processor.pipeline import Scrubber
from processor.records import Finding

_PARTS = ("17 Orchard Lane", "Whitby", "YO21 3HB")


def _out(s: Scrubber, line: str) -> str:
    return s.scrub(line.encode()).output.decode()


@pytest.mark.parametrize(
    "line",
    [
        "INSERT INTO a (id, street, city, postcode) VALUES (7, '17 Orchard Lane', 'Whitby', "
        "'YO21 3HB');",
        "UPDATE c SET street='17 Orchard Lane', city='Whitby', postcode='YO21 3HB' WHERE id=7;",
        '2026-11-20T14:27:26Z,ORD-1,"17 Orchard Lane","Whitby","YO21 3HB",shipped',
        "ORD-1;17 Orchard Lane;Whitby;YO21 3HB;active",
        "<a><street>17 Orchard Lane</street><city>Whitby</city><zip>YO21 3HB</zip></a>",
        '<delivery id="7" street="17 Orchard Lane" city="Whitby" postcode="YO21 3HB"/>',
        'order=7 street="17 Orchard Lane" city=Whitby zip="YO21 3HB" status=ok',
        "shipping: {'street': '17 Orchard Lane', 'city': 'Whitby', 'zip': 'YO21 3HB'}",
        "courier: deliver to 17 Orchard Lane Whitby YO21 3HB before noon",
    ],
)
def test_every_part_of_a_split_address_is_masked(scrubber: Scrubber, line: str) -> None:
    out = _out(scrubber, line)
    assert not [p for p in _PARTS if p in out], out


def test_cells_keep_their_separators(scrubber: Scrubber) -> None:
    """Each cell is masked on its own, so a CSV row keeps its column count."""
    line = "ORD-1;Skovveien 305a;7803;Bergen;active"
    out = _out(scrubber, line)
    assert out.count(";") == line.count(";")
    assert out.endswith(";active") and out.startswith("ORD-1;")
    assert not [p for p in ("Skovveien", "7803", "Bergen") if p in out]


def test_flat_json_parts_beside_a_street(scrubber: Scrubber) -> None:
    """city and zip beside a street key are the address's parts; alone they stay."""
    doc = {"event": "label", "street": "Calle Mayor 5", "city": "Madrid", "zip": "28013"}
    out = json.loads(_out(scrubber, json.dumps(doc)))
    assert {out[k] for k in ("street", "city", "zip")} == {"[MASKED-STREET_ADDRESS]"}
    alone = {"event": "weather", "city": "Madrid", "zip": "28013"}
    assert json.loads(_out(scrubber, json.dumps(alone))) == alone


@pytest.mark.parametrize(
    "line",
    [
        "ord-7;Order 12;2024;Paid",
        "2026-11-20,Node 3,8080,Linux",
        "v2,Build 1234,2024-01-15,passed",
        "<city>Madrid</city><zip>28013</zip>",
    ],
)
def test_rows_without_a_street_stay(scrubber: Scrubber, line: str) -> None:
    assert _out(scrubber, line) == line


def test_a_town_word_of_log_vocabulary_ends_the_walk() -> None:
    text = "ship to 17 Orchard Lane, Pending, Active"
    street = Finding(8, 23, "STREET_ADDRESS", "r", 0.6)
    assert address_parts(text, [street], math.inf) == [street]


def test_xml_elements_named_as_secrets_are_masked(scrubber: Scrubber) -> None:
    out = _out(scrubber, "<login><user>bob</user><password>hunter2</password></login>")
    assert "hunter2" not in out and "<user>bob</user>" in out


@pytest.mark.parametrize(
    ("line", "name"),
    [("cardholder=MARIA GARCIA exp=12/27", "GARCIA"),
     ("cardholder=Maria de la Cruz exp=12/27", "Cruz"),
     ("Dear Nguyễn Văn An, your parcel shipped", "Văn An")],
)
def test_the_whole_name_is_masked(scrubber: Scrubber, line: str, name: str) -> None:
    """An unquoted name goes on past its first word; "An" ends a Vietnamese name."""
    out = _out(scrubber, line)
    assert name not in out
    assert out.endswith(line[-9:])  # what follows the name stays


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("ship to Unit 3 Brindley Court, Stoke-on-Trent ST4 4FX", ("Unit", "Brindley")),
        ("ship to Str. Mihai Eminescu nr. 5, bl. A2, sc. 1, ap. 14, 012345 București",
         ("bl. A2", "ap. 14", "012345", "București")),
        ("ship to Rua Augusta, 1500, Consolação, 01304-001 São Paulo / SP", ("São Paulo", "SP")),
        ('{"config": "shipping:\\n  street: Laugavegur 18\\n  city: Reykjavík\\n  zip: \\"101\\""}',
         ("Laugavegur", "Reykjavík")),
        ("ship to Rua das Flores 45, apto 12, 80010-090 Curitiba PR",
         ("apto", "80010-090", "Curitiba")),  # a Portuguese flat and a Brazilian CEP
        ("| Nevsky Prospekt 28, St Petersburg 191186 | pending |", ("Nevsky", "Petersburg")),
        ("Adresse: Musterstraße 12a, 3. OG links, 80331 München, Bayern, Deutschland",
         ("links", "80331", "München", "Bayern")),  # a German floor and its side
        ("address: 45 Rue Sainte-Catherine Ouest, Montréal (Québec) H2X 1K4, Canada",
         ("Québec", "H2X", "Canada")),  # the postcode after a bracketed province
        ("ship-to: Room 1203, 12/F, Tower 2, 1 Austin Road West, Tsim Sha Tsui, Kowloon",
         ("1203", "12/F", "Tower", "Kowloon")),  # room, floor and tower before the number
        ("address: 5th Floor, 100 King Street West, Toronto, ON M5X 1A9", ("5th", "M5X")),
    ],
)
def test_units_before_and_after_the_number_and_a_state_after_a_slash(
    scrubber: Scrubber, line: str, parts: tuple[str, ...]
) -> None:
    """A unit before the house number, Romanian blocks and flats, a 6-digit postcode, a
    Brazilian state after a slash and a town on the next YAML line join the address."""
    out = _out(scrubber, line)
    assert not [p for p in parts if p in out], out


@pytest.mark.parametrize(
    "line",
    [
        '$ ./cli customer update 42 --street "17 Orchard Lane" --city "Whitby" --zip "YO21 3HB"',
        r"address: 17 Orchard Lane\ncity: Whitby\nzip: YO21 3HB",
    ],
)
def test_parts_in_command_flags_and_after_an_escaped_newline(scrubber: Scrubber,
                                                              line: str) -> None:
    """Shell history and escaped multi-line values split an address too."""
    out = _out(scrubber, line)
    assert not [p for p in _PARTS if p in out], out


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ('{"shipping": "Kirchstraße 12\\n10115 Berlin"}', ("Kirchstraße", "Berlin")),
        ('{"shipping": "4821 Willow Creek Dr\\nApt. 12\\nBoulder, CO 80301"}',
         ("Willow Creek", "Boulder", "80301")),
        ('{"shipping": "Via Roma 12\\n00184 Roma (RM)"}', ("Via Roma", "00184")),
        (r"Address: 742 Evergreen Terrace\nSpringfield, OR 97477", ("Evergreen", "Springfield")),
        ("The order will be sent to Dorpsstraat 112 in Utrecht", ("Dorpsstraat", "Utrecht")),
        ("UPDATE c SET address_line = 'Contrada Garibaldi 41', postal = '90133', "
         "town = 'Palermo' WHERE id = 9;", ("Garibaldi", "90133", "Palermo")),
        ('<delivery line="Dorpsstraat 112" code="3512 AB" place="Utrecht"/>',
         ("Dorpsstraat", "3512 AB", "Utrecht")),
        ('{"line1": "Ahornvej 7", "town": "Odense"}', ("Ahornvej", "Odense")),
        ("Delivered to 4417 Maple Row, Fairview, OR 97024", ("Maple", "Fairview")),
        ("Package left at Americká 12, Praha by courier", ("Americká", "Praha")),
        ("ship to Vodičkova 20, Hlavní město Praha 110 00", ("Vodičkova", "Praha", "110 00")),
        ("ship to ul. Floriańska 3, Kraków, małopolskie 31-019", ("Kraków", "małopolskie")),
        ("billing: Drottninggatan 21 · 111 51 Stockholm · Sverige",
         ("Drottninggatan", "Stockholm")),
    ],
)
def test_addresses_on_several_lines_in_one_value_and_in_typed_cells(
    scrubber: Scrubber, line: str, parts: tuple[str, ...]
) -> None:
    """An address held on several lines of one value, a town after "in", a street
    with its street word alone in a SQL or XML value, a first line beside its town, a
    "Row", and a street and town after a preposition are masked whole."""
    out = _out(scrubber, line)
    assert not [p for p in parts if p in out], out


@pytest.mark.parametrize(
    "line",
    [
        "shipped 12 items in Production",
        "failed at Shard 4, Retrying in 5s",
        "upgraded to Python 3, Django 4",
        "inserted 15 rows, 2000 items",
        '{"line1": "Ahornvej 7", "status": "ok"}',
        "UPDATE jobs SET name = 'Route 66' WHERE id = 9;",
        "deploy (prod) 12 pods, 3 failed",
        "moved to 5th Floor, ticket 4 closed",
    ],
)
def test_log_phrases_of_the_same_shape_stay(scrubber: Scrubber, line: str) -> None:
    assert _out(scrubber, line) == line


@pytest.mark.parametrize(
    ("line", "town"),
    [
        ("return label: Masarykova 214, 400 01 Ústí nad Labem; tracking 88123", "Labem"),
        ("ship to Markt 16, 3961 BC Wijk bij Duurstede today", "Duurstede"),
        ('7,"Storgata 14, 8622 Mo i Rana",active', "Rana"),
        ("geocoder: resolved 'Via Emilia 130, 42124 Reggio nell'Emilia' in 41ms", "Emilia"),
        ("INSERT INTO a VALUES ('Bergweg 3', '60311', 'Frankfurt am Main');", "Main"),
        ("INSERT INTO a VALUES ('Calle Real 19', '28701', 'San Sebastián de los Reyes');",
         "Reyes"),
        ('{"street":"Schmiedgasse 14","zip":"91541","city":"Rothenburg ob der Tauber"}',
         "Tauber"),
    ],
)
def test_towns_joined_by_particles_are_masked_whole(scrubber: Scrubber, line: str,
                                                    town: str) -> None:
    """Particles of Slavic, Dutch, Nordic, German and Italian town names do not end it."""
    out = _out(scrubber, line)
    assert town not in out, out
