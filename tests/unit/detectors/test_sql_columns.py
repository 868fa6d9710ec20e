"""Values of sensitive columns in SQL INSERT statements, paired by position."""

from __future__ import annotations

import pytest

from processor.detectors.keys import FieldNames
from processor.detectors.sql_columns import sql_column_values
from processor.errors import BudgetExceeded
from processor.masking.tokens import TokenShapes
from processor.rules.schema import FieldRule

FIELDS = [
    FieldRule(entity="PASSWORD", names=["password", "pwd"], match="suffix"),
    FieldRule(entity="PERSON", names=["firstname", "lastname"]),
    FieldRule(entity="CREDIT_CARD", names=["cardnumber"]),
    FieldRule(entity="STREET_ADDRESS", names=["city"], in_text="never"),
]
NAMES = FieldNames(FIELDS, TokenShapes([(f.entity, f.operator, f.keep_last) for f in FIELDS],
                                       pseudonyms=False))


def _masked(text: str, deadline: float = float("inf")) -> list[tuple[str, str]]:
    found = sql_column_values(text, text.lower(), NAMES.lookup, deadline, NAMES.is_token)
    return [(text[f.start:f.end], f.entity) for f in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("INSERT INTO users (username, password) VALUES ('bob', 'Tr0ub4dor3');",
         [("Tr0ub4dor3", "PASSWORD")]),
        # schema-qualified table, quoted columns, numbers, a call, two rows, bound parameters
        ('insert into public."customers" (id, "first_name", `card_number`, created) '
         "values (1, 'Ana', 4111111111111111, NOW()), (2, ?, ?, now())",
         [("Ana", "PERSON"), ("4111111111111111", "CREDIT_CARD")]),
        # doubled and backslashed quotes stay inside the string they belong to
        ("INSERT INTO t (note, db_password) VALUES ('it''s, (odd)', 'p\\'w,1')",
         [("p\\'w,1", "PASSWORD")]),
        # a call with a quoted argument before the value
        ("INSERT INTO t (user, pwd) VALUES (lower('BOB'), 'Secr3t!')", [("Secr3t!", "PASSWORD")]),
        # NULL, DEFAULT and bound parameters hold no value
        ("INSERT INTO t (password) VALUES (NULL), (DEFAULT), ($1), (:pw), (%s)", []),
    ],
)
def test_values_of_sensitive_columns_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert _masked(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # PostgreSQL: the statement and its DETAIL line in one record
        ("execute: INSERT INTO users (name, password) VALUES ($1, $2) "
         "DETAIL: parameters: $1 = 'bob', $2 = 'Tr0ub4dor3'", [("Tr0ub4dor3", "PASSWORD")]),
        ("UPDATE users SET pwd = $2, first_name=$1 WHERE id = $3 parameters: $1 = 'Ana', "
         "$2 = 'S3cret!x', $3 = 7", [("Ana", "PERSON"), ("S3cret!x", "PASSWORD")]),
        # SQLAlchemy: question marks and the parameter tuple after the statement
        ("INSERT INTO users (name, password) VALUES (?, ?) [generated in 0.0001s] "
         "[parameters: ('bob', \"it's-Tr0ub4dor3\")]", [("it's-Tr0ub4dor3", "PASSWORD")]),
        # parameters of columns that hold nothing sensitive, and a tuple of another length
        ("INSERT INTO t (a, b) VALUES ($1, $2) parameters: $1 = 'x', $2 = 'y'", []),
        ("INSERT INTO t (a, password) VALUES (?, ?) [parameters: ('x',)]", []),
    ],
)
def test_bound_parameters_are_paired_by_number_or_position(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert _masked(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "INSERT INTO t (a, password) VALUES (1, 'x', 'Tr0ub4dor3')",  # count differs: no guess
        "INSERT INTO t (a, city) VALUES (1, 'Leeds')",  # a column that never counts in text
        "INSERT INTO t (a, b) VALUES ('x', 'y')",
        "inserted 3 values into password history",
        "INSERT INTO t (password) VALUES ('[MASKED-PASSWORD]')",  # a token written before
    ],
)
def test_statements_without_a_sure_pairing_add_nothing(text: str) -> None:
    assert _masked(text) == []


def test_an_adversarial_statement_ends_within_the_budget() -> None:
    """Thousands of quotes and brackets are read in one pass, with nothing found."""
    text = "INSERT INTO t (password) VALUES (" + "'" * 20_001 + "(" * 5_000
    assert _masked(text) == []


def test_a_spent_budget_stops_the_reading() -> None:
    with pytest.raises(BudgetExceeded):
        _masked("INSERT INTO t (password) VALUES ('x')", deadline=0.0)
