"""Write the JSON schemas kubeconform reads offline.

Usage:
  python helm/scripts/kubeconform_schemas.py k8s OUT_DIR SCHEMA_DIR
  python helm/scripts/kubeconform_schemas.py crd OUT_DIR CRD.yaml [CRD.yaml ...]

``k8s`` copies the Kubernetes schemas of the kubernetes-validate package (one version's
``-local-strict`` folder). Those refer to a shared ``/api/_definitions.json`` by an
absolute path that kubeconform cannot resolve, so each schema is written standalone, with
the definitions it needs inlined.

``crd`` writes OUT_DIR/<group>/<kind>_<version>.json for every served version of each
CRD. Objects that declare properties refuse unknown ones, as kubeconform's own strict
schemas do, unless the CRD marks them x-kubernetes-preserve-unknown-fields.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml


def _strict(node: Any) -> Any:
    """Close every object schema that lists its properties."""
    if isinstance(node, dict):
        out = {k: _strict(v) for k, v in node.items()}
        if (
            "properties" in out
            and "additionalProperties" not in out
            and not out.get("x-kubernetes-preserve-unknown-fields")
        ):
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


def convert(crd_file: Path, out_dir: Path) -> list[Path]:
    """Write one schema per served version of the CRD in ``crd_file``."""
    written: list[Path] = []
    for doc in yaml.safe_load_all(crd_file.read_text(encoding="utf-8")):
        if not doc or doc.get("kind") != "CustomResourceDefinition":
            continue
        spec = doc["spec"]
        group, kind = spec["group"], spec["names"]["kind"].lower()
        for version in spec["versions"]:
            schema = version.get("schema", {}).get("openAPIV3Schema")
            if not version.get("served", True) or schema is None:
                continue
            schema = _strict(schema)
            props = schema.setdefault("properties", {})
            # kubeconform validates the whole resource, whose metadata the CRD leaves open.
            props["metadata"] = {"type": "object"}
            target = out_dir / group / f"{kind}_{version['name']}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(schema, indent=1), encoding="utf-8")
            written.append(target)
    return written


_DEFS_REF = "/api/_definitions.json#/$defs/"


def _refs(node: Any) -> set[str]:
    """Names of the shared definitions that ``node`` refers to."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            for prefix in (_DEFS_REF, "#/$defs/"):
                if ref.startswith(prefix):
                    found.add(ref[len(prefix) :])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def copy_k8s(schema_dir: Path, out_dir: Path) -> int:
    """Write each schema standalone, with the definitions it needs inlined."""
    shared = json.loads((schema_dir / "_definitions.json").read_text(encoding="utf-8"))["$defs"]
    closure: dict[str, set[str]] = {}
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    for source in sorted(schema_dir.glob("*.json")):
        if source.name.startswith("_"):
            continue
        text = source.read_text(encoding="utf-8")
        schema = json.loads(text)
        needed, todo = set(), list(_refs(schema))
        while todo:
            name = todo.pop()
            if name in needed or name not in shared:
                continue
            needed.add(name)
            if name not in closure:
                closure[name] = _refs(shared[name])
            todo.extend(closure[name])
        schema.pop("$id", None)  # a relative id that kubeconform's compiler cannot place
        schema["$defs"] = {name: shared[name] for name in sorted(needed)}
        text = json.dumps(schema).replace(f'"{_DEFS_REF}', '"#/$defs/')
        (out_dir / source.name).write_text(text, encoding="utf-8")
        count += 1
    return count


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] not in ("k8s", "crd"):
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = Path(argv[1])
    if argv[0] == "k8s":
        print(f"{copy_k8s(Path(argv[2]), out_dir)} schemas in {out_dir}")
        return 0
    for name in argv[2:]:
        for path in convert(Path(name), out_dir):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
