#!/usr/bin/env bash
# The browser tests beyond Chromium: Debian's Firefox ESR (driven over WebDriver BiDi) and WebKitGTK's
# WebDriver with its MiniBrowser, run under a virtual display. Installs whichever is missing (needs root, as apt-get does).
missing=()
command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null 2>&1 || missing+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "npm test: installing Debian's ${missing[*]} for the browser tests" >&2
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || {
  echo "npm test: could not install ${missing[*]}; install them (apt-get install ${missing[*]}) and run npm test again" >&2
  exit 1
}
