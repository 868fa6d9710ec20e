"""The field-name detector on structured keys and on key=value pairs in text."""

from __future__ import annotations

import pytest

from processor.detectors.keys import FieldNames, normalise_key
from processor.masking.tokens import TokenShapes
from processor.rules.schema import FieldRule

FIELDS = [
    FieldRule(entity="PASSWORD", names=["password", "passwd"], match="suffix"),
    FieldRule(entity="API_KEY", names=["apikey"], match="suffix"),
    FieldRule(entity="AUTHORIZATION", names=["authorization"]),
    FieldRule(entity="PASSWORD", names=["pass"]),
]
TOKENS = TokenShapes([(f.entity, f.operator, f.keep_last) for f in FIELDS], pseudonyms=False)
NO_DEADLINE = float("inf")


@pytest.fixture(scope="module")
def names() -> FieldNames:
    """The field names above, plus one extra name from the settings."""
    return FieldNames([*FIELDS, FieldRule(entity="SENSITIVE_FIELD", names=["customerRef"])],
                      TOKENS, ignored=["password_policy"])


def _masked(names: FieldNames, text: str) -> list[str]:
    return [text[f.start : f.end] for f in names.find_in_text(text, text.lower(), NO_DEADLINE)]


def test_normalisation_ignores_case_separators_and_camel_case() -> None:
    """apiKey, API-KEY and api_key are one name."""
    assert {normalise_key(k) for k in ("apiKey", "API-KEY", "api_key", "Api.Key")} == {"apikey"}


@pytest.mark.parametrize("key", ["password", "DB_PASSWORD", "userPassword", "x-api-key", "pass"])
def test_sensitive_keys_found(names: FieldNames, key: str) -> None:
    """Exact and suffix names match in every spelling."""
    assert names.lookup(key) is not None


@pytest.mark.parametrize("key", ["bypass", "passenger", "password_policy", "user", "keyboard"])
def test_lookalike_keys_not_found(names: FieldNames, key: str) -> None:
    """Names that merely contain a short sensitive word, and ignored names, do not match."""
    assert names.lookup(key) is None


def test_extra_names_from_settings(names: FieldNames) -> None:
    """Names added in the settings are sensitive too."""
    rule = names.lookup("customer_ref")
    assert rule is not None and rule.entity == "SENSITIVE_FIELD"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('level=info password=hunter2 user=bob', "hunter2"),
        ('msg="x" db_password="two words"', "two words"),
        ("GET /login?user=bob&password=pw123&next=/ HTTP/1.1", "pw123"),
        ("{'user': 'bob', 'password': 'hunter2'}", "hunter2"),
        ('{"password": "a\\"b"}', 'a\\"b'),
        ('payload={\\"apiKey\\": \\"k-123\\", \\"n\\": 1}', "k-123"),
        ("Authorization: Bearer abc.def.ghi", "abc.def.ghi"),
        ("X-API-KEY: 0123456789abcdef", "0123456789abcdef"),
    ],
)
def test_pairs_in_text(names: FieldNames, text: str, secret: str) -> None:
    """The value of a sensitive pair is found, in every text form, and only the value."""
    assert _masked(names, text) == [secret]


def test_mask_tokens_are_left_alone(names: FieldNames) -> None:
    """An already masked value is not masked again."""
    assert _masked(names, "password=[MASKED-PASSWORD] x=1") == []


def test_no_sensitive_name_no_work(names: FieldNames) -> None:
    """Text without any sensitive name yields nothing."""
    assert _masked(names, "user=bob status=200 path=/a") == []


def test_quoted_only_names_skip_bare_values() -> None:
    """A name marked in_text: quoted masks quoted values in text, never bare ones."""
    rule = FieldRule(entity="STREET_ADDRESS", names=["address"], in_text="quoted")
    names = FieldNames([rule], TOKENS)
    bare = "RAS KERNEL FATAL instruction address: 0x00004ed8"
    quoted = 'address="42 Elm St" ok'
    assert names.find_in_text(bare, bare.lower(), NO_DEADLINE) == []
    found = names.find_in_text(quoted, quoted.lower(), NO_DEADLINE)
    assert [quoted[f.start : f.end] for f in found] == ["42 Elm St"]
    assert names.lookup("address") is not None  # JSON fields are still masked whole


def test_identifiers_in_text_leave_bare_ids_and_mask_the_rest() -> None:
    """An unquoted value matching identifiers_in_text is kept; quoted or other values are masked."""
    rule = FieldRule(entity="COOKIE", names=["sessionid"], identifiers_in_text="0x[0-9a-f]{1,16}")
    names = FieldNames([rule], TOKENS)
    zk = "Processed session termination for sessionid: 0x14ed93111f20027"
    web = "GET /cart?sessionid=9f2c41d7a0b3e5f6 HTTP/1.1"
    quoted = 'sessionid="0x14ed93111f20027"'
    assert names.find_in_text(zk, zk.lower(), NO_DEADLINE) == []
    assert [web[f.start : f.end] for f in names.find_in_text(web, web.lower(), NO_DEADLINE)] \
        == ["9f2c41d7a0b3e5f6"]
    assert len(names.find_in_text(quoted, quoted.lower(), NO_DEADLINE)) == 1


def test_identifiers_in_text_that_backtracks_fails_closed() -> None:
    """An identifier pattern that runs out of time masks the value instead of keeping it."""
    rule = FieldRule(entity="TOKEN", names=["token"], identifiers_in_text="(a+)+b")
    names = FieldNames([rule], TOKENS)
    text = "token=" + "a" * 40 + "c"
    assert len(names.find_in_text(text, text.lower(), NO_DEADLINE)) == 1


def test_identifiers_in_text_must_compile() -> None:
    """A field rule whose identifier regex does not compile is refused at load."""
    with pytest.raises(ValueError, match="does not compile"):
        FieldRule(entity="COOKIE", names=["sessionid"], identifiers_in_text="0x[")


def test_scoped_names_apply_only_under_their_parents() -> None:
    """name is a person inside billing, not at the top level and never in free text."""
    names = FieldNames([FieldRule(entity="PERSON", names=["name"], under=["billing"])], TOKENS)
    assert names.lookup_in("name", "billing") is not None
    assert names.lookup_in("Name", "Billing") is not None
    assert names.lookup_in("name", "task") is None
    assert names.lookup("name") is None
    text = 'name="Ana Nguyen"'
    assert names.find_in_text(text, text.lower(), NO_DEADLINE) == []


def test_a_capitalised_value_goes_on_through_the_name() -> None:
    """"cc: Kwame Lefèvre" (a mail header under a card key): the whole name is the value,
    up to a word of log vocabulary."""
    cards = FieldNames([FieldRule(entity="CREDIT_CARD", names=["cc"])], TOKENS)
    assert _masked(cards, "cc: Kwame Lefèvre") == ["Kwame Lefèvre"]
    assert _masked(cards, "cc: Ana Ruiz sent ok") == ["Ana Ruiz"]
    assert _masked(cards, "cc=4111111111111111 Visa") == ["4111111111111111"]


def test_a_name_under_a_number_key_is_labelled_a_person() -> None:
    """A name under the card key is masked as a person, so the token says what it hides;
    a card number under the same key stays a card."""
    rules = [FieldRule(entity="CREDIT_CARD", names=["cc"]),
             FieldRule(entity="PERSON", names=["fullname"])]
    shapes = TokenShapes([(f.entity, f.operator, f.keep_last) for f in rules], pseudonyms=False)
    cards = FieldNames(rules, shapes)
    text = "cc: Björn Åkesson, cc=4111111111111111, cc: Jean-Baptiste Lefèvre"
    found = cards.find_in_text(text, text.lower(), NO_DEADLINE)
    assert [(text[f.start:f.end], f.entity) for f in found] == [
        ("Björn Åkesson", "PERSON"), ("4111111111111111", "CREDIT_CARD"),
        ("Jean-Baptiste Lefèvre", "PERSON")]
    text = "cc: O'Neil, cc: D’Angelo Russo sent"
    found = cards.find_in_text(text, text.lower(), NO_DEADLINE)
    assert [text[f.start:f.end] for f in found] == ["O'Neil", "D’Angelo Russo"]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('{:user "bob" :password "Zq8!mP2#vL"}', "Zq8!mP2#vL"),  # EDN / Clojure keyword
        ("args: ['--user', 'bob', '--password', 'Zq8!mP2#vL']", "Zq8!mP2#vL"),  # argv list
        ('argv=["-passwd", "Zq8 mP2"]', "Zq8 mP2"),
        ("| user | bob |\\n| password | Zq8!mP2#vL |", "Zq8!mP2#vL"),  # Markdown table
        ("| db password | Zq8!mP2#vL |", "Zq8!mP2#vL"),
        # psql's expanded display (\\x), its line ends escaped
        ("-[ RECORD 1 ]-\\nid       | 7\\npassword | Zq8!mP2#vL\\nrole | x", "Zq8!mP2#vL"),
        ("password | Zq8!mP2#vL", "Zq8!mP2#vL"),
        ("$cfg['password'] = 'Zq8!mP2#vL';", "Zq8!mP2#vL"),  # PHP and Python subscripts
        ('os.environ["DB_PASSWORD"]="Zq8!mP2#vL"', "Zq8!mP2#vL"),
        ('password := "Zq8!mP2#vL"', "Zq8!mP2#vL"),  # Go
        ("connection.user=app, connection.pass=Zq8!mP2#vL, topic=x", "Zq8!mP2#vL"),
        ("JAVA_OPTS=-Djavax.net.ssl.keyStorePassword=Zq8!mP2#vL -Xmx2g", "Zq8!mP2#vL"),  # -D
        ("wget --http-user=bob --http-password=Zq8!mP2#vL https://x", "Zq8!mP2#vL"),
        ("Task failed: connection.password=Zq8!mP2#vL", "Zq8!mP2#vL"),  # a pair in a value
        ('$env:DB_PASSWORD = "Zq8!mP2#vL"', "Zq8!mP2#vL"),  # PowerShell
        ("admin_password: !!str Zq8!mP2#vL", "Zq8!mP2#vL"),  # a YAML tag is not the value
        ("define('DB_PASSWORD', 'Zq8!mP2#vL');", "Zq8!mP2#vL"),  # a call's arguments
        ('props.setProperty("mail.smtp.password", "Zq8 mP2")', "Zq8 mP2"),
        ("ENV MYSQL_ROOT_PASSWORD Zq8!mP2#vL", "Zq8!mP2#vL"),  # Dockerfile
        ('<wsse:Password Type="x#PasswordText">Zq8!mP2#vL</wsse:Password>', "Zq8!mP2#vL"),
    ],
)
def test_pairs_in_other_notations(names: FieldNames, text: str, secret: str) -> None:
    """Keywords, argument lists, table rows, subscripts and := pair a key with its value."""
    assert _masked(names, text) == [secret]


def test_a_table_header_is_no_pair(names: FieldNames) -> None:
    """The escaped line end after a header cell is not the header's value."""
    assert _masked(names, "| password |\\n|---|") == []


@pytest.mark.parametrize(
    "text",
    [
        "| status | Zq8 |",  # a table row without a sensitive key
        "echo password | passwd --stdin bob",  # a pipe, not a table
        "geo.city=Lyon pod.name=api-7f9c",  # namespaced, but not credentials
        ":status \"ok\" :passes 3",
        "JAVA_OPTS=-Dfile.encoding=UTF-8 -Xmx2g",  # a pair in a value, not sensitive
        'log("password", 3)',  # a call whose value is not a quoted string
        "ENV PATH /usr/local/bin",
    ],
)
def test_other_notations_leave_the_rest(names: FieldNames, text: str) -> None:
    assert _masked(names, text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("password: |\n  Hk7Wq2Zn9X\nuser: bob", "Hk7Wq2Zn9X"),
        ("db:\n  password: >-\n    Hk7Wq2\n    Zn9X\n  host: db01", "Hk7Wq2\n    Zn9X"),
        ("password: |-\\n  Hk7Wq2Zn9X\\nuser: bob", "Hk7Wq2Zn9X"),  # escaped line ends
        ("- apiKey: |\r\n    Hk7Wq2Zn9X\r\n", "Hk7Wq2Zn9X"),
    ],
)
def test_yaml_block_scalar_takes_the_indented_lines(
    names: FieldNames, text: str, value: str
) -> None:
    """A block scalar's value is the lines indented under the key, not the | or >."""
    assert _masked(names, text) == [value]


def test_yaml_block_scalar_ends_at_the_key_indentation(names: FieldNames) -> None:
    """A sibling key at the key's own indentation is not part of the value."""
    text = "  password: |\n    Hk7Wq2Zn9X\n  host: db01\n"
    assert _masked(names, text) == ["Hk7Wq2Zn9X"]
