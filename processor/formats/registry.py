"""A client for a Confluent-compatible schema registry, with a bounded schema cache.

Only ``GET /schemas/ids/{id}`` is used: the writer schema of a record's schema id. A
schema id the registry does not know (404) or a schema that is not Avro makes the
record undecodable (``FormatError``), and the answer is kept for a minute; a registry
that cannot be reached raises ``StreamError``, so the worker aborts the batch and
retries instead of masking records it could have read.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from fastavro import parse_schema

from processor.errors import FormatError, StreamError

__all__ = ["SchemaRegistry", "physical_schema"]

#: How long an id the registry refused stays refused without asking again.
_UNKNOWN_TTL_S = 60.0

#: GET url -> (status, body). Tests pass a stand-in; the default is urllib.
Fetch = Callable[[str, float], tuple[int, bytes]]


def _urllib_fetch(url: str, timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310 - the URL's scheme is checked in settings
        url, headers={"Accept": "application/vnd.schemaregistry.v1+json, application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), b""


class SchemaRegistry:
    """Writer schemas by id, parsed once and kept in an LRU cache."""

    def __init__(
        self, url: str, timeout_s: float = 5.0, cache_size: int = 1000, fetch: Fetch | None = None
    ) -> None:
        self._url = url.rstrip("/")
        self._timeout = timeout_s
        self._cache: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._unknown: OrderedDict[int, float] = OrderedDict()  # id -> when it was refused
        self._cache_size = cache_size
        self._fetch = fetch or _urllib_fetch
        self.fetches = 0

    def schema(self, schema_id: int) -> dict[str, Any]:
        """The parsed writer schema (logical types stripped, see ``physical_schema``)."""
        cached = self._cache.get(schema_id)
        if cached is not None:
            self._cache.move_to_end(schema_id)
            return cached
        refused = self._unknown.get(schema_id)
        if refused is not None and time.monotonic() - refused < _UNKNOWN_TTL_S:
            raise FormatError(f"schema id {schema_id} unknown to the registry")
        try:
            parsed = self._load(schema_id)
        except FormatError:
            # a producer writing bogus ids must not cost one registry request per record
            self._unknown[schema_id] = time.monotonic()
            self._unknown.move_to_end(schema_id)
            if len(self._unknown) > self._cache_size:
                self._unknown.popitem(last=False)
            raise
        self._cache[schema_id] = parsed
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return parsed

    def _load(self, schema_id: int) -> dict[str, Any]:
        self.fetches += 1
        try:
            status, body = self._fetch(f"{self._url}/schemas/ids/{schema_id}", self._timeout)
        except (OSError, ValueError) as exc:
            raise StreamError(f"schema registry unreachable ({type(exc).__name__})") from None
        if status == 404:
            raise FormatError(f"schema id {schema_id} unknown to the registry")
        if status != 200:
            raise StreamError(f"schema registry answered HTTP {status}")
        try:
            answer = json.loads(body)
            if answer.get("schemaType", "AVRO") != "AVRO":
                raise FormatError(f"schema id {schema_id} is not an Avro schema")
            raw = json.loads(answer["schema"])
            parsed = parse_schema(physical_schema(raw))
            if not isinstance(parsed, dict):
                raise FormatError(f"schema id {schema_id} is not a record schema")
        except FormatError:
            raise
        except Exception as exc:
            problem = type(exc).__name__
            raise FormatError(f"schema id {schema_id}: invalid schema ({problem})") from None
        return parsed


def physical_schema(schema: Any) -> Any:
    """The schema without ``logicalType`` annotations.

    The binary encoding is the same, and values stay plain (a timestamp is a long, a
    decimal its bytes), so they round-trip exactly and the view stays JSON.
    """
    if isinstance(schema, list):
        return [physical_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    return {k: physical_schema(v) for k, v in schema.items() if k != "logicalType"}
