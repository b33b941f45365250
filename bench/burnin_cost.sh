#!/usr/bin/env bash
# What a burn-in that changes every frame (a frame counter) costs, against none and against
# fixed burn-ins, at 1080p24 with ProRes HQ, DNxHR SQ and H.264: one cold build per case (fresh
# cache), timed with GNU time. See README.md, "The look".
# Dependencies: storyreel, GNU time (/usr/bin/time), ffprobe.
set -euo pipefail

WORK="${TMPDIR:-/tmp}/storyreel-burnin-cost"; SHOTS=5; PANELS=4; SR="${STORYREEL:-}"; CODECS="prores dnxhr h264"
while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK="$2"; shift 2 ;;
    --shots) SHOTS="$2"; shift 2 ;;
    --panels) PANELS="$2"; shift 2 ;;
    --storyreel) SR="$2"; shift 2 ;;
    --codecs) CODECS="${2//,/ }"; shift 2 ;;
    -h|--help) echo "usage: bench/burnin_cost.sh [--work DIR] [--shots N] [--panels N] [--codecs prores,prores-ks,dnxhr,h264] [--storyreel PATH]"; exit 0 ;;
    *) echo "burnin_cost.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
if [ -z "$SR" ]; then
  here="$(cd "$(dirname "$0")/.." && pwd)"
  SR="$here/build/storyreel"
fi
[ -x "$SR" ] || { echo "burnin_cost.sh: no storyreel binary at $SR (build it or pass --storyreel)" >&2; exit 69; }
[ -x /usr/bin/time ] || { echo "burnin_cost.sh: needs GNU time at /usr/bin/time (Debian package: time)" >&2; exit 69; }

rm -rf "$WORK"; mkdir -p "$WORK"
"$SR" demo "$WORK/project" --sequences 1 --shots "$SHOTS" --panels "$PANELS" --seed 1 >/dev/null

encode_params() {
  case "$1" in
    prores) echo "{codec: prores, profile: hq}" ;;
    prores-ks) echo "{codec: prores, profile: hq, encoder: prores_ks}" ;;
    dnxhr) echo "{codec: dnxhr, profile: sq}" ;;
    h264) echo "{codec: h264, crf: 20, preset: veryfast}" ;;
  esac
}
burnin_params() {
  case "$1" in
    fixed) echo "{top_left: '{sequence}/{shot} {panel}', top_right: '{date}'}" ;;
    counter) echo "{top_left: '{sequence}/{shot} {panel}', top_right: '{date}', bottom_right: 'frame {frame}'}" ;;
  esac
}

write_pipeline() {  # codec look file
  {
    echo "pipeline: 1"
    echo "stages:"
    echo "  - {name: ingest, type: ingest}"
    echo "  - {name: conform, type: conform, needs: [ingest]}"
    if [ "$2" = none ]; then
      echo "  - {name: movie, type: encode, needs: [conform], params: $(encode_params "$1")}"
    else
      echo "  - {name: burn, type: burnins, needs: [conform], params: $(burnin_params "$2")}"
      echo "  - {name: movie, type: encode, needs: [burn], params: $(encode_params "$1")}"
    fi
  } >"$3"
}

printf '| codec | burn-ins | frames | wall | CPU (user+sys) | peak RSS |\n|---|---|---|---|---|---|\n'
for codec in $CODECS; do
  for look in none fixed counter; do
    pipeline="$WORK/$codec-$look.yaml"; out="$WORK/out-$codec-$look"
    write_pipeline "$codec" "$look" "$pipeline"
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" \
      "$SR" build --project "$WORK/project" --pipeline "$pipeline" --out "$out" >/dev/null 2>"$WORK/log" ||
      { cat "$WORK/log" >&2; exit 1; }
    read -r wall user sys rss <"$WORK/time"
    movie=$(ls "$out"/*_movie.*)
    frames=$(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$movie")
    printf '| %s | %s | %s | %.1f s | %.1f s | %d MB |\n' "$codec" "$look" "$frames" "$wall" \
      "$(echo "$user + $sys" | bc)" $((rss / 1024))
  done
done
