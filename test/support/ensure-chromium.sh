#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; install it when it is missing (needs root, as apt-get does).
command -v chromium >/dev/null 2>&1 && exit 0
echo "npm test: installing Debian's chromium for the browser tests" >&2
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || {
  echo "npm test: could not install chromium; install it (apt-get install chromium) and run npm test again" >&2
  exit 1
}
