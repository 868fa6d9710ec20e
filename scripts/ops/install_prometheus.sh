#!/usr/bin/env bash
# Install Debian's prometheus and prometheus-alertmanager when promtool, prometheus or
# prometheus-alertmanager is missing (the alert tests and the live end-to-end test use
# them). Needs root (or passwordless sudo) for apt-get; does nothing when all are present.
set -euo pipefail
missing=0
for tool in promtool prometheus prometheus-alertmanager; do
  command -v "$tool" >/dev/null 2>&1 || missing=1
done
[[ $missing == 0 ]] && exit 0
SUDO=""
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "install_prometheus.sh: need root for apt-get" >&2; exit 2; }
  SUDO="sudo -n"
fi
echo "install_prometheus.sh: installing prometheus and prometheus-alertmanager (Debian packages)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends prometheus prometheus-alertmanager
