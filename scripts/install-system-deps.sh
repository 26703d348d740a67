#!/usr/bin/env bash
# Debian packages the browser and editor tests need: Chromium (driven by playwright-core) and libkrb5-dev
# (code-server builds a native module against it). Nothing else comes from apt.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && dpkg -s libkrb5-dev >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium libkrb5-dev >/dev/null
