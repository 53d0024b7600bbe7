#!/usr/bin/env bash
# System packages, for the tests (default), for `manage.py bench` ("bench"), or
# only the translation tools ("messages").
#   all:   gettext, whose msgfmt compiles locale/*.po for the English pages (and
#          whose xgettext extracts strings for `make messages`).
#   tests and bench: WeasyPrint's Pango and HarfBuzz subsetter (without it fonts
#          are subset in Python, and a PDF takes half as long again).
#   tests: Debian's Chromium for the browser tests, a Japanese font so
#          screenshots show text, poppler for the PDF checks, zbar and
#          rsvg-convert to decode the printouts' QR codes.
#   tests and bench: redis-server, for the RQ backend's job tests and the bench
#          (only when no Redis answers on 127.0.0.1:6379 and it is not installed).
#   bench: wrk, the load generator of the throughput figure (without it bench
#          skips that figure).
# Installs only what is missing, and only where it can (root with apt-get).
set -euo pipefail

mode="${1:-tests}"
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ "$mode" != "messages" ]; then
  ldconfig -p 2>/dev/null | grep -q "libpango-1.0" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
  ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset" || need+=(libharfbuzz-subset0)
fi
if [ "$mode" != "messages" ] && ! command -v redis-server >/dev/null 2>&1 \
  && ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  need+=(redis-server)
fi
if [ "$mode" = "bench" ]; then
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
elif [ "$mode" = "tests" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  # zbar decodes the QR codes of the printouts; rsvg-convert rasterises an SVG one.
  command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
  command -v rsvg-convert >/dev/null 2>&1 || need+=(librsvg2-bin)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${need[*]} (install them with your package manager)" >&2
  exit 0
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
