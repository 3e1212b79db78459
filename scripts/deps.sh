#!/usr/bin/env bash
# Installs every Debian 12 package fdscope needs to build, test and benchmark
# (socat, strace, lsof, util-linux lsfd, iproute2 ss, perf and bpftrace are the
# peers the tests and bench/ scripts compare against).
# Run as root (or with sudo available).  Idempotent: re-running is cheap.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
packages=(
  build-essential cmake ninja-build pkg-config git
  libfmt-dev libcli11-dev libgtest-dev nlohmann-json3-dev
  libbpf-dev bpftool clang llvm libelf-dev libdw-dev zlib1g-dev systemtap-sdt-dev
  mandoc socat strace lsof util-linux iproute2 procps
  tshark libcap2-bin
  bpftrace linux-perf bc time
  libwrap0-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
