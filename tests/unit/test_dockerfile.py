"""The Dockerfile, checked as code: no image can be built on the CI machine (see README)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parents[2]


def _parsed() -> DockerfileParser:
    return DockerfileParser(fileobj=io.BytesIO((ROOT / "Dockerfile").read_bytes()))


def _base_image() -> str:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    match = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", text, re.MULTILINE)
    assert match, "the base image is one ARG, shared by both stages"
    return match.group(1)


def test_base_image_is_pinned_by_digest() -> None:
    """Both stages start from the same slim Python base, pinned by its sha256 digest."""
    assert re.fullmatch(r"python:3\.11-slim[\w.-]*@sha256:[0-9a-f]{64}", _base_image())
    froms = [i["value"] for i in _parsed().structure if i["instruction"] == "FROM"]
    assert froms == ["${PYTHON_IMAGE} AS builder", "${PYTHON_IMAGE}"]


def test_final_stage_runs_as_a_numeric_non_root_user() -> None:
    """The last USER of the final stage is numeric and not 0."""
    users = [i["value"] for i in _parsed().structure if i["instruction"] == "USER"]
    assert users, "no USER: the image would run as root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0


def test_installs_only_pinned_and_hashed_inputs() -> None:
    """The builder installs from requirements.lock and the hash-pinned model, nothing else."""
    runs = " ".join(i["value"] for i in _parsed().structure if i["instruction"] == "RUN")
    assert "-r requirements.lock" in runs
    assert "--require-hashes -r requirements-model.txt" in runs
    assert not re.search(r"\b(curl|wget)\b|ADD\s+https?:", runs)


def test_build_context_is_allow_listed() -> None:
    """.dockerignore excludes everything but what the build copies (no .venv, .git, .kafka)."""
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").split("\n")
    assert "*" in lines, "the context is deny-by-default"
    copied = {
        src
        for i in _parsed().structure
        if i["instruction"] == "COPY" and "--from" not in i["value"]
        for src in i["value"].split()[:-1]
    }
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert copied
    for src in copied:
        assert src.split("/")[0] in allowed, f"{src} is copied but excluded by .dockerignore"
