#!/usr/bin/env bash
# The browser tests (tests/web) drive Debian's chromium through Playwright; install it when missing.
# Playwright cannot download its own browsers here, so the tests launch /usr/bin/chromium.
set -euo pipefail
browser="${ALLIANCE_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$browser" ]; then
  echo "installing chromium for the browser tests"
  if [ "$(id -u)" -ne 0 ]; then echo "run as root or install chromium yourself" >&2; exit 1; fi
  # apt's lock may be held by another install; wait for it rather than fail
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
    chromium fonts-noto-cjk
fi
"$browser" --version
