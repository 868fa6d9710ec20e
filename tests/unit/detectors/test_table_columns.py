"""Cells under sensitive columns of CSV and Markdown tables held in one record."""

from __future__ import annotations

import pytest

from processor.detectors.keys import FieldNames
from processor.detectors.table_columns import table_column_values
from processor.errors import BudgetExceeded
from processor.masking.tokens import TokenShapes
from processor.rules.schema import FieldRule

FIELDS = [
    FieldRule(entity="PASSWORD", names=["password"], match="suffix"),
    FieldRule(entity="PHONE_NUMBER", names=["phone"]),
    FieldRule(entity="STREET_ADDRESS", names=["city"], in_text="never"),
]
NAMES = FieldNames(FIELDS, TokenShapes([(f.entity, f.operator, f.keep_last) for f in FIELDS],
                                       pseudonyms=False))


def _masked(text: str, deadline: float = float("inf")) -> list[tuple[str, str]]:
    return [(text[f.start:f.end], f.entity)
            for f in table_column_values(text, NAMES.lookup, deadline)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # CSV with real line ends; a quoted cell keeps its comma and its doubled quote
        ('name,phone,password\nbob,+44 20 7946 0958,Tr0ub4dor3\nann,,"pa,ss""w0rd"',
         [("+44 20 7946 0958", "PHONE_NUMBER"), ("Tr0ub4dor3", "PASSWORD"),
          ('pa,ss""w0rd', "PASSWORD")]),
        # escaped line ends (a table inside a JSON string), semicolons, tabs
        ("user;db_password\\nbob;S3cret!x", [("S3cret!x", "PASSWORD")]),
        ("user\tpassword\r\nbob\tS3cret!x", [("S3cret!x", "PASSWORD")]),
        # a Markdown table: the rule row is skipped, the outer pipes are no cells
        ("| user | password |\\n|---|:---:|\\n| bob | Tr0ub4dor3 |\\n| ann | S3cret!x |",
         [("Tr0ub4dor3", "PASSWORD"), ("S3cret!x", "PASSWORD")]),
        # a row of another width ends the table
        ("user,password\nbob,Tr0ub4dor3\ndone\nann,S3cret!x", [("Tr0ub4dor3", "PASSWORD")]),
    ],
)
def test_cells_under_sensitive_columns_are_found(text: str,
                                                 expected: list[tuple[str, str]]) -> None:
    assert _masked(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "name,city\nbob,Leeds",  # no sensitive column (city never counts in text)
        "error: retry, backoff, password\nfoo, bar, baz",  # a sentence is no header
        "user,password",  # a header alone
        "user,password\nbob",  # a row of another width
    ],
)
def test_lines_that_are_no_table_add_nothing(text: str) -> None:
    assert _masked(text) == []


def test_a_spent_budget_stops_the_reading() -> None:
    with pytest.raises(BudgetExceeded):
        _masked("user,password\nbob,x", deadline=0.0)
