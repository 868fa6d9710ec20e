"""Write helm/logscrub/values.schema.json: the contract of values.yaml, kept as code.

Run ``python helm/scripts/gen_schema.py`` after changing values.yaml; a chart test fails
when the committed schema differs from what this prints.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

CHART = Path(__file__).resolve().parents[1] / "logscrub"

STR: dict[str, Any] = {"type": "string"}
BOOL: dict[str, Any] = {"type": "boolean"}
MAP: dict[str, Any] = {"type": "object"}
LIST: dict[str, Any] = {"type": "array"}
PORT: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": 65535}
QUANTITY: dict[str, Any] = {"type": ["string", "integer", "number"]}


def obj(props: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A closed object: unknown keys are refused."""
    out: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        out["required"] = list(required)
    return out


def int_min(minimum: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": minimum}


RESOURCES = obj(
    {
        "requests": obj({"cpu": QUANTITY, "memory": QUANTITY}),
        "limits": obj({"cpu": QUANTITY, "memory": QUANTITY}),
    }
)
PDB = obj({"enabled": BOOL, "maxUnavailable": {"type": ["integer", "string"]}})


def pod_common() -> dict[str, Any]:
    """Scheduling and pod keys every component has."""
    return {
        "resources": RESOURCES,
        "podDisruptionBudget": PDB,
        "topologySpreadConstraints": LIST,
        "nodeSelector": MAP,
        "tolerations": LIST,
        "affinity": MAP,
        "podAnnotations": MAP,
        "extraEnv": LIST,
    }


def http_component() -> dict[str, Any]:
    """A Deployment that serves HTTP (indexer, debug API, monitor)."""
    return obj({"enabled": BOOL, "replicas": int_min(1), "port": PORT, **pod_common()})


def schema() -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "logscrub chart values",
        **obj(
            {
                "nameOverride": STR,
                "fullnameOverride": STR,
                "image": obj(
                    {
                        "repository": {"type": "string", "minLength": 1},
                        "tag": STR,
                        "digest": {"type": "string", "pattern": "^(sha256:[a-f0-9]{64})?$"},
                        "pullPolicy": {"enum": ["Always", "IfNotPresent", "Never"]},
                    },
                    ("repository",),
                ),
                "imagePullSecrets": LIST,
                "commonLabels": {"type": "object", "additionalProperties": STR},
                "serviceAccount": obj({"create": BOOL, "name": STR, "annotations": MAP}),
                "kafka": obj(
                    {
                        "bootstrapServers": {"type": "string", "minLength": 1},
                        "client": {"type": "object", "additionalProperties": STR},
                        "sasl": obj(
                            {"existingSecret": STR, "usernameKey": STR, "passwordKey": STR}
                        ),
                        "tls": obj(
                            {"existingSecret": STR, "caKey": STR, "certKey": STR, "keyKey": STR}
                        ),
                    },
                    ("bootstrapServers",),
                ),
                "pseudonym": obj({"existingSecret": STR, "key": STR}),
                "config": MAP,
                "rules": obj({"existingConfigMap": STR, "mountPath": STR}),
                "podSecurityContext": MAP,
                "securityContext": MAP,
                "processor": obj(
                    {
                        "replicas": int_min(1),
                        "metricsPort": PORT,
                        "terminationGracePeriodSeconds": int_min(1),
                        **pod_common(),
                        "keda": obj(
                            {
                                "enabled": BOOL,
                                "minReplicas": int_min(0),
                                "maxReplicas": int_min(1),
                                "partitionCount": int_min(1),
                                "lagThreshold": STR,
                                "pollingInterval": int_min(1),
                                "cooldownPeriod": int_min(1),
                                "authenticationRef": STR,
                            }
                        ),
                    }
                ),
                "store": obj(
                    {
                        "type": {"enum": ["sqlite", "postgres"]},
                        "sqlite": obj(
                            {
                                "persistence": obj(
                                    {"enabled": BOOL, "size": QUANTITY, "storageClass": STR}
                                )
                            }
                        ),
                        "postgres": obj({"existingSecret": STR, "dsnKey": STR}),
                    }
                ),
                "index": obj({"enabled": BOOL, "replicas": int_min(1), **pod_common()}),
                "debugApi": obj(
                    {
                        "enabled": BOOL,
                        "replicas": int_min(1),
                        "port": PORT,
                        "metricsPort": PORT,
                        **pod_common(),
                        "jwks": obj({"existingConfigMap": STR, "key": STR}),
                        "policies": obj({"existingConfigMap": STR}),
                        "grants": obj({"existingConfigMap": STR, "key": STR}),
                        "ingress": obj(
                            {
                                "enabled": BOOL,
                                "className": STR,
                                "host": {"type": "string", "minLength": 1},
                                "annotations": MAP,
                                "tls": LIST,
                            }
                        ),
                    }
                ),
                "monitor": http_component(),
                "monitoring": obj(
                    {
                        "serviceMonitor": obj({"enabled": BOOL, "interval": STR, "labels": MAP}),
                        "prometheusRule": obj({"enabled": BOOL, "labels": MAP}),
                        "dashboard": obj({"enabled": BOOL, "labels": MAP}),
                    }
                ),
                "networkPolicy": obj(
                    {
                        "enabled": BOOL,
                        "kafkaPeers": LIST,
                        "kafkaPorts": {"type": "array", "items": PORT},
                        "dns": obj({"peers": LIST}),
                        "prometheusPeers": LIST,
                        "postgres": obj({"peers": LIST, "port": PORT}),
                        "oidc": obj({"peers": LIST, "port": PORT}),
                        "ingressControllerPeers": LIST,
                    }
                ),
            }
        ),
    }


def main() -> int:
    text = json.dumps(schema(), indent=2) + "\n"
    target = CHART / "values.schema.json"
    if "--check" in sys.argv:
        if target.read_text(encoding="utf-8") != text:
            print("values.schema.json is stale: run helm/scripts/gen_schema.py", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
