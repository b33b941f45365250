#!/usr/bin/env bash
# What the review page and the printable boards cost at feature scale (2,000 panels of 1080p
# boards with temp audio): a cold build (fresh cache) with and without the report stage, a
# rebuild after one board is redrawn with and without it, and the time the page takes to
# open in headless chromium (to its load event; thumbnails are lazy-loaded). Output: a
# Markdown table for RESULTS.md. Dependencies: storyreel, GNU time, chromium, python3.
set -euo pipefail

WORK="${TMPDIR:-/tmp}/storyreel-report-cost"; SEQUENCES=4; SHOTS=50; PANELS=10; SR="${STORYREEL:-}"; FROM=""
CODEC="{codec: dnxhr, profile: lb}"
while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK="$2"; shift 2 ;;
    --sequences) SEQUENCES="$2"; shift 2 ;;
    --shots) SHOTS="$2"; shift 2 ;;
    --panels) PANELS="$2"; shift 2 ;;
    --storyreel) SR="$2"; shift 2 ;;
    --project) FROM="$2"; shift 2 ;;
    -h|--help) echo "usage: bench/report_cost.sh [--work DIR] [--sequences N] [--shots N] [--panels N] [--storyreel PATH] [--project DIR: copy this demo project instead of generating one]"; exit 0 ;;
    *) echo "report_cost.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
here="$(cd "$(dirname "$0")/.." && pwd)"
[ -n "$SR" ] || SR="$here/build/storyreel"
[ -x "$SR" ] || { echo "report_cost.sh: no storyreel binary at $SR (build it or pass --storyreel)" >&2; exit 69; }
[ -x /usr/bin/time ] || { echo "report_cost.sh: needs GNU time at /usr/bin/time (Debian package: time)" >&2; exit 69; }

rm -rf "$WORK"; mkdir -p "$WORK"
if [ -n "$FROM" ]; then
  cp -r "$FROM" "$WORK/project"
else
  "$SR" demo "$WORK/project" --sequences "$SEQUENCES" --shots "$SHOTS" --panels "$PANELS" --seed 1 >/dev/null
fi
count=$(find "$WORK/project/boards" -type f | wc -l)

write_pipeline() {  # with_report file
  {
    echo "pipeline: 1"
    echo "settings: {output: whole_cut}  # one movie, one page of every panel"
    echo "stages:"
    echo "  - {name: ingest, type: ingest}"
    echo "  - {name: conform, type: conform, needs: [ingest]}"
    echo "  - {name: temp_audio, type: audio}"
    echo "  - {name: movie, type: encode, needs: [conform, temp_audio], params: $CODEC}"
    [ "$1" = yes ] && echo "  - {name: report, type: report, needs: [conform, temp_audio]}"
    true
  } >"$2"
}

timed() {  # label out pipeline
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" \
    "$SR" build --project "$WORK/project" --pipeline "$3" --out "$2" >/dev/null 2>"$WORK/log" ||
    { cat "$WORK/log" >&2; exit 1; }
  read -r wall user sys rss <"$WORK/time"
  printf '| %s | %.2f s | %.1f s | %d MB |\n' "$1" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024))
}

board=$(find "$WORK/project/boards" -name '*.png' | sort | sed -n "$(( count / 2 ))p")
printf '| build (%d boards) | wall | CPU (user+sys) | peak RSS |\n|---|---|---|---|\n' "$count"
for report in no yes; do
  write_pipeline "$report" "$WORK/pipeline-$report.yaml"
  timed "cold, report stage: $report" "$WORK/out-$report" "$WORK/pipeline-$report.yaml"
done
cp "$board" "$WORK/board.png"
for report in no yes; do
  "$SR" demo "$WORK/redraw" --sequences 1 --shots 1 --panels 1 --seed 7 >/dev/null 2>&1 || true
  cp "$(find "$WORK/redraw/boards" -name '*.png' | head -1)" "$board"  # another drawing
  timed "one board redrawn, report stage: $report" "$WORK/out-$report" "$WORK/pipeline-$report.yaml"
  cp "$WORK/board.png" "$board"
  "$SR" build --project "$WORK/project" --pipeline "$WORK/pipeline-$report.yaml" --out "$WORK/out-$report" >/dev/null 2>&1
done
echo
page=$(ls "$WORK"/out-yes/*_report/index.html); pdf=$(ls "$WORK"/out-yes/*_boards.pdf)
echo "page: $(du -h "$page" | cut -f1), thumbnails: $(ls "$(dirname "$page")/thumbs" | wc -l) ($(du -sh "$(dirname "$page")/thumbs" | cut -f1)), PDF: $(du -h "$pdf" | cut -f1), $(pdfinfo "$pdf" | grep Pages)"
echo "page open to load event (s, 3 runs): $(python3 "$here/bench/page_open_time.py" "$page" 3 | tr '\n' ' ')"
