"""Mask and encode steps: splice each segment's findings in and rebuild the record.

Every segment, whatever layer found its spans, goes the same way: resolve overlaps,
mask with the operator its findings carry, write the result back. A masked JSON key
stays unique in its object (``[MASKED-EMAIL]``, ``[MASKED-EMAIL]#2``), so no key and
no value is lost.
"""

from __future__ import annotations

import re
from typing import Any

from processor.collect import Job, Segment
from processor.embedded_json import encode_embedded
from processor.masking.operators import Masker
from processor.masking.splice import apply_findings, resolve
from processor.records import FALLBACK_TOKEN, ScrubResult, encode_json

__all__ = ["encode_job", "fallback_output", "masked_segment", "record_masker"]

_FALLBACK_BYTES = FALLBACK_TOKEN.encode()


def masked_segment(job: Job, seg: Segment, masker: Masker) -> str:
    """The segment's text with its findings masked; counts them on the job."""
    resolved = resolve(seg.text, seg.findings)
    for f in resolved:
        job.counts[(f.rule_id, f.entity)] += 1
    return apply_findings(seg.text, resolved, masker)


def _subject(job: Job, field: str) -> str | None:
    """The raw value of the subject field: the first one in JSON, ``field=v`` in text."""
    if job.doc is not None:
        stack: list[Any] = [job.doc]
        while stack:
            node = stack.pop(0)
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, value in items:
                if key == field and isinstance(value, (str, int)) and not isinstance(
                        value, bool) and str(value):
                    return str(value)
                if isinstance(value, (dict, list)):
                    stack.append(value)
        return None
    m = re.search(rf"(?<![\w.-]){re.escape(field)}=(?:\"([^\"]+)\"|([^\s\"]+))",
                  job.raw.decode("utf-8", "replace"))
    return (m.group(1) or m.group(2)) if m else None


def record_masker(job: Job, masker: Masker, subject_field: str | None) -> Masker:
    """The masker for this record: its subject and its count of encrypted values."""
    if masker.cipher is None:
        return masker
    encrypted = sum(f.operator == "encrypt" for seg in job.segments
                    for f in (resolve(seg.text, seg.findings) if seg.findings else ()))
    if not encrypted:
        return masker
    return masker.for_record(_subject(job, subject_field) if subject_field else None,
                             encrypted)


def encode_job(job: Job, masker: Masker, subject_field: str | None = None) -> ScrubResult:
    """The scrubbed record in its own format (the raw bytes when nothing changed)."""
    masker = record_masker(job, masker, subject_field)
    renames: dict[int, tuple[dict[str, Any], dict[str, str]]] = {}
    changed = False
    for seg in job.segments:
        if not seg.findings:
            continue
        masked = masked_segment(job, seg, masker)
        if seg.holder is None:
            return ScrubResult(masked.encode("utf-8"), job.format, job.counts)
        if seg.is_number and masked == seg.text:
            continue
        changed = True
        if seg.embedded >= 0:
            job.embedded[seg.embedded].changed = True
        if seg.is_key:
            renames.setdefault(id(seg.holder), (seg.holder, {}))[1][seg.key] = masked
        elif masked == "" and isinstance(seg.holder, dict):
            del seg.holder[seg.key]
        else:
            seg.holder[seg.key] = masked
    for holder, mapping in renames.values():
        _rename_keys(holder, mapping)
    encode_embedded(job.embedded)
    if job.doc is not None and changed:
        return ScrubResult(encode_json(job.doc), job.format, job.counts)
    return ScrubResult(job.raw, job.format, job.counts)


def _rename_keys(holder: dict[str, Any], mapping: dict[str, str]) -> None:
    """Rename keys in place, keeping their order and every key distinct.

    A new name already taken gets the first free ``#2``, ``#3``, ... suffix.
    """
    if not any(k in holder for k in mapping):
        return
    taken = {k for k in holder if k not in mapping}
    next_n: dict[str, int] = {}
    items = list(holder.items())
    holder.clear()
    for key, value in items:
        if key in mapping:
            name = mapping[key] or FALLBACK_TOKEN
            candidate, n = name, next_n.get(name, 1)
            while candidate in taken:
                n += 1
                candidate = f"{name}#{n}"
            next_n[name] = n
            taken.add(candidate)
            key = candidate
        holder[key] = value


def fallback_output(job: Job) -> bytes:
    """Every scalar (and every key not scanned clean) masked; the whole line for text."""
    if job.doc is None:
        return _FALLBACK_BYTES
    stack: list[Any] = [job.doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            keys = [k for k in node if k and k not in job.clean_keys]
            _rename_keys(node, dict.fromkeys(keys, FALLBACK_TOKEN))
        for k in list(node) if isinstance(node, dict) else range(len(node)):
            v = node[k]
            if isinstance(v, (dict, list)):
                stack.append(v)
            elif isinstance(v, (str, int, float)) and not isinstance(v, bool):
                node[k] = FALLBACK_TOKEN
    try:
        return encode_json(job.doc)
    except Exception:
        return _FALLBACK_BYTES
