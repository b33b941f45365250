#!/usr/bin/env bash
# What the production checks cost (issue "find the production hurdles"), side by side in one
# run on the same generated project:
#   - `storyreel check` with no kept board signatures (every board read once) against ffmpeg
#     decoding the same boards once (what reading the boards costs anyway);
#   - `storyreel check` again, signatures kept (no board read);
#   - a cold build (ingest, conform, temp audio, DNxHR LB) and the share of it the checks
#     take after the encode: the build's own "production checks: X s" log line (rules,
#     breakdown, saving the signatures). The signatures themselves are taken while
#     conforming, from the board in memory (a grid of at most 256x256 samples, well under a
#     millisecond a board): not separable from the conform here.
# Dependencies: storyreel, ffmpeg, GNU time (/usr/bin/time). See bench/README.md.
set -euo pipefail

SCALE=feature; WORK="${TMPDIR:-/tmp}/storyreel-check-cost"; SR="${STORYREEL:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --storyreel) SR="$2"; shift 2 ;;
    -h|--help) echo "usage: bench/check_cost.sh [--scale small|feature] [--work DIR] [--storyreel PATH]"; exit 0 ;;
    *) echo "check_cost.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
case "$SCALE" in
  small) SEQS=1; SHOTS=5; PANELS=4 ;;
  feature) SEQS=4; SHOTS=25; PANELS=20 ;;
  *) echo "check_cost.sh: --scale must be small or feature" >&2; exit 64 ;;
esac
if [ -z "$SR" ]; then SR="$(cd "$(dirname "$0")/.." && pwd)/build/storyreel"; fi
[ -x "$SR" ] || { echo "check_cost.sh: no storyreel binary at $SR (build it or pass --storyreel)" >&2; exit 69; }
[ -x /usr/bin/time ] || { echo "check_cost.sh: needs GNU time at /usr/bin/time (Debian package: time)" >&2; exit 69; }
command -v ffmpeg >/dev/null || { echo "check_cost.sh: needs ffmpeg" >&2; exit 69; }

rm -rf "$WORK"; mkdir -p "$WORK"
echo "generating the $SCALE project ($SEQS x $SHOTS x $PANELS panels, 1080p PNG boards)..." >&2
"$SR" demo "$WORK/project" --sequences "$SEQS" --shots "$SHOTS" --panels "$PANELS" --min-hold 48 \
  --max-hold 96 --uniform --seed 42 --resolution 1920x1080 >/dev/null
BOARDS=$(find "$WORK/project/boards" -name '*.png' | wc -l)

# run NAME COMMAND...: times COMMAND, keeps its stderr in $WORK/NAME.err, prints "wall cpu".
run() {
  local name=$1; shift
  /usr/bin/time -o "$WORK/$name.time" -f '%e %U %S' "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" \
    || { echo "check_cost.sh: $name failed:" >&2; tail -5 "$WORK/$name.err" >&2; exit 1; }
  awk '{printf "%.2f %.2f\n", $1, $2 + $3}' "$WORK/$name.time"
}
pipeline() {  # FILE
  {
    echo "pipeline: 1"
    echo "stages:"
    echo "  - {name: ingest, type: ingest}"
    echo "  - {name: conform, type: conform, needs: [ingest]}"
    echo "  - {name: audio, type: audio}"
    echo "  - {name: movie, type: encode, needs: [conform, audio], params: {codec: dnxhr, profile: lb}}"
  } >"$1"
}
pipeline "$WORK/with.yaml"

read -r dec_wall dec_cpu < <(run decode ffmpeg -v error -pattern_type glob -i "$WORK/project/boards/*.png" -f null -)
read -r cold_wall cold_cpu < <(run check-cold "$SR" check --project "$WORK/project" --pipeline "$WORK/with.yaml" --cache "$WORK/check-cache" --fail-on never)
read -r warm_wall warm_cpu < <(run check-warm "$SR" check --project "$WORK/project" --pipeline "$WORK/with.yaml" --cache "$WORK/check-cache" --fail-on never)
read -r build_wall build_cpu < <(run build "$SR" build --project "$WORK/project" --pipeline "$WORK/with.yaml" --out "$WORK/out-with")
checks_seconds=$(sed -n 's/.*production checks: \([0-9.]*\) s.*/\1/p' "$WORK/build.err" | tail -1)
rm -rf "$WORK/out-with"

echo "=== production checks: $SCALE scale, $BOARDS boards, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) ==="
printf '| run | wall | CPU (user+sys) |\n|---|---|---|\n'
printf '| ffmpeg decoding every board once | %s s | %s s |\n' "$dec_wall" "$dec_cpu"
printf '| `storyreel check`, no signatures kept (every board read once) | %s s | %s s |\n' "$cold_wall" "$cold_cpu"
printf '| `storyreel check`, signatures kept | %s s | %s s |\n' "$warm_wall" "$warm_cpu"
printf '| cold build (DNxHR LB + temp audio) | %s s | %s s |\n' "$build_wall" "$build_cpu"
awk -v cw="$cold_wall" -v dw="$dec_wall" -v cc="$cold_cpu" -v dc="$dec_cpu" -v ck="${checks_seconds:-0}" \
    -v bw="$build_wall" 'BEGIN {
  printf "cold check / one read of the boards: %.2fx wall, %.2fx CPU (target: under 1x)\n", cw / dw, cc / dc
  printf "checks in the build: %.3f s after the encode = %.2f %% of the cold build wall (target: under 2 %%)\n", ck, 100 * ck / bw
}'
