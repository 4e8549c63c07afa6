#!/usr/bin/env bash
# The browser tests and benchmarks drive Debian's Chromium; install it when it is missing (needs root, as apt-get does).
# npm runs this before `npm test` and `npm run bench`.
command -v chromium >/dev/null 2>&1 && exit 0
echo "installing Debian's chromium for the browser tests and benchmarks" >&2
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || {
  echo "could not install chromium; install it (apt-get install chromium), then run npm run ${npm_lifecycle_event#pre} again" >&2
  exit 1
}
