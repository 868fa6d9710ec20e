#!/usr/bin/env bash
# Build the logscrub image without a Docker engine: Debian's mmdebstrap makes a bookworm
# root filesystem with Python 3.11 that stands in for the digest-pinned python base
# (which cannot be pulled here), and buildah builds the Dockerfile on top of it.
#
# Usage: scripts/image/build.sh [TAG]      (default localhost/logscrub:dev; run as root)
# Needs: buildah, mmdebstrap (apt-get install buildah mmdebstrap).
# Behind a TLS-intercepting proxy, the host's CA bundle is handed to pip at build time
# only (PIP_CERT build argument); it does not stay in the image.
set -euo pipefail
TAG="${1:-localhost/logscrub:dev}"
BASE="localhost/logscrub-python-base:bookworm"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CA="${HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
B=(buildah --storage-driver vfs)
for tool in buildah mmdebstrap; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing (apt-get install $tool)" >&2; exit 2; }
done

if ! "${B[@]}" inspect "$BASE" >/dev/null 2>&1; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  mmdebstrap --variant=minbase --include=python3,python3-venv,python-is-python3,ca-certificates \
    bookworm "$work/rootfs.tar"
  ctr="$("${B[@]}" from scratch)"
  tar -C "$("${B[@]}" mount "$ctr")" -xf "$work/rootfs.tar"
  "${B[@]}" config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  "${B[@]}" commit -q "$ctr" "$BASE"
  "${B[@]}" rm "$ctr" >/dev/null
fi

"${B[@]}" bud --isolation chroot --network host --pull-never \
  -v "$CA:/run/host-ca.crt:ro" --build-arg PIP_CERT=/run/host-ca.crt \
  --build-arg PYTHON_IMAGE="$BASE" -t "$TAG" "$ROOT"
