"""Rule loading: validation errors name the file, the rule id and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from processor.errors import RuleError, RuleSetError
from processor.rules.loader import _SAFE_LOADER, load_rules
from processor.settings import BUNDLED_RULES

GOOD_RULE = """
  - id: {id}
    description: A test rule that finds the word zebra.
    entity: TEST
    severity: low
    patterns:
      - name: zebra (strong)
        regex: '{regex}'
        score: 0.9
    examples:
      must_mask: ["a «zebra»"]
      must_not_mask: ["a horse"]
"""


def _write(tmp_path: Path, name: str, body: str) -> Path:
    (tmp_path / name).write_text(body)
    return tmp_path


def test_bundled_rules_load() -> None:
    """The bundled rule packs are valid and carry a version hash."""
    ruleset = load_rules(BUNDLED_RULES)
    assert len(ruleset.rules) >= 25 and len(ruleset.version) == 12


def test_version_changes_with_content(tmp_path: Path) -> None:
    """Editing a rule changes the rule set's version."""
    _write(tmp_path, "a.yaml", "rules:" + GOOD_RULE.format(id="zebra", regex="zebra"))
    first = load_rules(tmp_path).version
    _write(tmp_path, "a.yaml", "rules:" + GOOD_RULE.format(id="zebra", regex="zebras?"))
    assert load_rules(tmp_path).version != first


def test_schema_error_names_file_rule_and_field(tmp_path: Path) -> None:
    """A score above 1 is rejected naming where it is."""
    body = "rules:" + GOOD_RULE.format(id="zebra", regex="zebra").replace("0.9", "1.5")
    _write(tmp_path, "animals.yaml", body)
    with pytest.raises(RuleError) as err:
        load_rules(tmp_path)
    assert (err.value.file, err.value.rule_id, err.value.field) == (
        "animals.yaml", "zebra", "patterns.0.score")


@pytest.mark.parametrize("fmt", ["xx.nothing", "os.path", "br.cpf; import os", ""])
def test_stdnum_validator_needs_a_python_stdnum_format(tmp_path: Path, fmt: str) -> None:
    """validator: stdnum names a python-stdnum module, or the rule file is refused."""
    args = f"    validator: stdnum\n    validator_args: {{format: '{fmt}'}}\n"
    body = "rules:" + GOOD_RULE.format(id="zebra", regex="zebra").replace(
        "    examples:", args + "    examples:")
    _write(tmp_path, "ids.yaml", body)
    with pytest.raises(RuleError) as err:
        load_rules(tmp_path)
    assert err.value.rule_id == "zebra" and "python-stdnum" in str(err.value)


@pytest.mark.parametrize("name", ["os_version", "Version", ""])
def test_not_in_fields_names_are_written_normalised(tmp_path: Path, name: str) -> None:
    """not_in_fields is compared with normalised keys, so a name written otherwise
    (which would never match) is refused when the rules load."""
    body = "rules:" + GOOD_RULE.format(id="zebra", regex="zebra").replace(
        "    examples:", f"    not_in_fields: ['{name}']\n    examples:")
    _write(tmp_path, "animals.yaml", body)
    with pytest.raises(RuleError) as err:
        load_rules(tmp_path)
    assert err.value.rule_id == "zebra" and "normalised" in str(err.value)


def test_regex_that_does_not_compile(tmp_path: Path) -> None:
    """A broken regex is rejected naming the rule and the pattern."""
    _write(tmp_path, "a.yaml", "rules:" + GOOD_RULE.format(id="zebra", regex="zeb(ra"))
    with pytest.raises(RuleError, match=r"a.yaml: rule 'zebra': field 'patterns.0.regex'"):
        load_rules(tmp_path)


def test_duplicate_ids_rejected(tmp_path: Path) -> None:
    """Two rules with one id across files are an error naming both files."""
    _write(tmp_path, "a.yaml", "rules:" + GOOD_RULE.format(id="zebra", regex="zebra"))
    _write(tmp_path, "b.yaml", "rules:" + GOOD_RULE.format(id="zebra", regex="zebra"))
    with pytest.raises(RuleError, match=r"duplicate id, first defined in a\.yaml"):
        load_rules(tmp_path)


def test_bad_yaml_and_empty_dir(tmp_path: Path) -> None:
    """Unparseable YAML and an empty directory both refuse to load."""
    with pytest.raises(RuleSetError, match="no rule files"):
        load_rules(tmp_path)
    _write(tmp_path, "a.yaml", "rules: [\n")
    with pytest.raises(RuleSetError, match=r"a\.yaml: not valid YAML"):
        load_rules(tmp_path)


def test_unreachable_min_score(tmp_path: Path) -> None:
    """A rule whose patterns can never reach min_score is rejected."""
    body = "rules:" + GOOD_RULE.format(id="zebra", regex="zebra").replace("0.9", "0.2")
    _write(tmp_path, "a.yaml", body)
    with pytest.raises(RuleError, match="min_score"):
        load_rules(tmp_path)


def test_the_fast_yaml_loader_reads_the_bundled_rules_as_the_python_one() -> None:
    """libyaml's safe loader (used when PyYAML has it) gives the same documents."""
    for path in sorted(Path(BUNDLED_RULES).glob("*.yaml")):
        data = path.read_bytes()
        assert yaml.load(data, Loader=_SAFE_LOADER) == yaml.safe_load(data), path.name  # noqa: S506
