"""A JSON array of strings is read as the words of one command line.

Container specs and process dumps log a command as ``["mysql", "-u", "root", "-pS3cret"]``;
a password flag and its value sit in neighbouring strings, so the scan joins the
strings of one array with spaces. Strings of different arrays or objects stay apart.
"""

from __future__ import annotations

import json

import pytest

from processor.pipeline import Scrubber

_PW = "Hk7Wq2Zn9X"


def _out(s: Scrubber, doc: object) -> object:
    return json.loads(s.scrub(json.dumps(doc).encode()).output)


@pytest.mark.parametrize(
    "argv",
    [
        ["--admin-password", _PW, "--port", "8080"],
        ["mysql", "-u", "root", f"-p{_PW}"],
        ["redis-cli", "-h", "cache", "-a", _PW, "ping"],
        ["sshpass", "-p", _PW, "ssh", "deploy@host"],
        ["--password", _PW],
    ],
)
def test_password_in_an_argument_list_is_masked(scrubber: Scrubber, argv: list[str]) -> None:
    """The value after a password flag goes, and the other arguments stay as they were."""
    out = _out(scrubber, {"spec": {"args": argv}})
    assert isinstance(out, dict)
    args = out["spec"]["args"]
    assert _PW not in json.dumps(out)
    assert len(args) == len(argv)
    kept = [a for a, b in zip(args, argv, strict=True) if a == b]
    assert len(kept) == len(argv) - 1  # only the password's string changed


def test_strings_of_different_arrays_are_not_joined(scrubber: Scrubber) -> None:
    """A flag ending one array does not take the first string of the next one."""
    doc = {"a": ["deploy", "--password"], "b": ["release-2024", "ok"]}
    assert _out(scrubber, doc) == doc


def test_numbers_break_the_command_line(scrubber: Scrubber) -> None:
    """Only neighbouring strings are joined: a number between them ends the run."""
    doc = {"a": ["--password", 12345678901234, "release-2024"]}
    assert _out(scrubber, doc) == doc


def test_a_list_without_flags_keeps_its_strings_apart(scrubber: Scrubber) -> None:
    """A phone number and a year in a list are not read as one run of digits."""
    doc = {"phones": ["+44 20 7946 0958", "2024"]}
    assert _out(scrubber, doc) == {"phones": ["[MASKED-PHONE_NUMBER]", "2024"]}
