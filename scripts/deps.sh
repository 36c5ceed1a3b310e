#!/bin/sh
# deps.sh - install everything the build, the tests and the demo need (Debian 12 / apt).
# Idempotent: when every package is already installed, apt is not run at all.
# Needs root (or sudo) only when something is missing.
set -eu

PKGS="build-essential cmake pkg-config clang git ca-certificates
      libsqlite3-dev sqlite3
      libpq-dev postgresql
      default-libmysqlclient-dev mariadb-server mariadb-client galera-4 rsync
      libzstd-dev zstd libmsgpack-dev libxxhash-dev
      python3 man-db tzdata"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    echo "deps.sh: all packages installed"
    exit 0
fi
echo "deps.sh: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "deps.sh: run as root (or install sudo)" >&2
        exit 1
    fi
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086 # word splitting of the package list is intended
$SUDO apt-get install -y -q --no-install-recommends $missing
echo "deps.sh: done"
