#!/usr/bin/env bash
# The editorial pipeline as shipped (configs/editorial.yaml: ProRes HQ + H.264 review + cut
# lists + publish, per sequence) and its whole-cut variant, step by step as a story
# department lives with it: cold build + publish, pull into an editor's folder, a no-change
# rebuild, then one board redrawn -> new version published -> pulled. Each step is timed,
# beside `cp` of the same movies (what publishing and pulling by hand would cost).
# See bench/README.md ("editorial.sh").  Dependencies: storyreel, ffmpeg, GNU time, awk.
set -euo pipefail

SCALE=10k; WORK=/tmp/storyreel-bench-editorial; SR="${STORYREEL:-}"; VARIANTS=per_sequence,whole_cut
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --storyreel) SR="$2"; shift 2 ;;
    --variants) VARIANTS="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; echo "usage: $0 [--scale small|10k|feature] [--work DIR] [--storyreel PATH] [--variants per_sequence,whole_cut]"; exit 0 ;;
    *) echo "editorial.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
here="$(cd "$(dirname "$0")/.." && pwd)"
[ -n "$SR" ] || SR="$here/build/storyreel"
[ -x "$SR" ] || { echo "editorial.sh: no storyreel at $SR (--storyreel PATH)" >&2; exit 69; }
[ -x /usr/bin/time ] || { echo "editorial.sh: needs GNU time at /usr/bin/time (Debian package: time)" >&2; exit 69; }
case "$SCALE" in
  small)   SEQS=1; SHOTS=2;  PANELS=10; MINH=25; MAXH=75 ;;
  10k)     SEQS=2; SHOTS=10; PANELS=10; MINH=25; MAXH=75 ;;
  feature) SEQS=4; SHOTS=25; PANELS=20; MINH=48; MAXH=96 ;;
  *) echo "editorial.sh: --scale must be small, 10k or feature" >&2; exit 64 ;;
esac
mkdir -p "$WORK"; WORK="$(cd "$WORK" && pwd)"
LOG="$WORK/editorial-$SCALE.log"; : >"$LOG"
say() { echo "$*" | tee -a "$LOG"; }
# measure NAME cmd... -> M_WALL M_RSS_MB; output in $WORK/NAME.out
measure() {
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>&1 || { say "!! $name failed: see $WORK/$name.out"; return 1; }
  read -r M_WALL rss < <(tail -1 "$WORK/$name.time"); M_RSS_MB=$((rss / 1024))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f %%", (b > 0 ? 100 * a / b : 0)}'; }
sum() { awk -v a="$1" -v b="$2" -v c="${3:-0}" 'BEGIN {printf "%.2f", a + b + c}'; }

say "editorial bench: scale=$SCALE variants=$VARIANTS work=$WORK ($(df -T "$WORK" | awk 'NR==2 {print $2}'))"
say "storyreel: $SR; machine: $(nproc) cores"
PROJ="$WORK/project-$SCALE"
if [ ! -f "$PROJ/project.yaml" ]; then
  "$SR" demo "$PROJ" --sequences $SEQS --shots $SHOTS --panels $PANELS --min-hold $MINH --max-hold $MAXH \
        --uniform --seed 42 --resolution 1920x1080 >>"$LOG" 2>&1
fi
# the board in the middle of the cut
board="$PROJ/$(awk '/^[ \t]*board:/ {sub(/^[^:]*:[ \t]*/, ""); gsub(/"/, ""); b[++n] = $0} END {print b[int(n/2)+1]}' "$PROJ/project.yaml")"
cp -p "$board" "$WORK/board-backup.png"
trap 'cp -p "$WORK/board-backup.png" "$board"' EXIT

IFS=, read -r -a VARIANT_LIST <<<"$VARIANTS"
for variant in "${VARIANT_LIST[@]}"; do
  say ""; say "=== $variant ==="
  pipe="$WORK/editorial-$variant.yaml"
  sed "s/output: per_sequence/output: $variant/" "$here/configs/editorial.yaml" >"$pipe"
  out="$WORK/out-$variant"; cache="$WORK/cache-$variant"; root="$WORK/published-$variant"; editor="$WORK/editor-$variant"
  rm -rf "$out" "$cache" "$root" "$editor" "$WORK/cp-$variant"; cp -p "$WORK/board-backup.png" "$board"
  build=("$SR" build --project "$PROJ" --pipeline "$pipe" --out "$out" --cache "$cache" --publish "$root" --explain)
  pull_all() {  # every published sequence into the editor's folder
    local s; for s in "$root"/*/*/; do "$SR" pull --publish "$root" --sequence "$(basename "$s")" --to "$editor/$(basename "$s")"; done
  }
  measure "$variant-cold" "${build[@]}"; cold=$M_WALL; cold_rss=$M_RSS_MB
  measure "$variant-pull" bash -c "$(declare -f pull_all); root='$root' editor='$editor' SR='$SR'; pull_all"; pull=$M_WALL
  # by hand: cp of the movies (publish, then pull)
  mkdir -p "$WORK/cp-$variant/publish" "$WORK/cp-$variant/pull"
  measure "$variant-cp-publish" bash -c "cp '$out'/*.mov '$WORK/cp-$variant/publish/' && sync"; cp_pub=$M_WALL
  measure "$variant-cp-pull" bash -c "cp '$WORK/cp-$variant/publish'/*.mov '$WORK/cp-$variant/pull/' && sync"; cp_pull=$M_WALL
  rm -rf "$WORK/cp-$variant"
  measure "$variant-nochange" "${build[@]}"; nochange=$M_WALL
  ffmpeg -hide_banner -v error -y -i "$WORK/board-backup.png" -vf negate -frames:v 1 "$WORK/board-negated.png"
  cp "$WORK/board-negated.png" "$board"
  measure "$variant-redraw" "${build[@]}"; redraw=$M_WALL; redraw_rss=$M_RSS_MB
  measure "$variant-redraw-pull" bash -c "$(declare -f pull_all); root='$root' editor='$editor' SR='$SR'; pull_all"; redraw_pull=$M_WALL
  cp -p "$WORK/board-backup.png" "$board"
  movies=$(du -cm "$out"/*.mov | tail -1 | cut -f1)
  say "movies: ${movies} MB of MOV in $out; copy methods: $(grep -ho '"copied_by": "[a-z_]*"' "$root"/*/*/v001/manifest.json | sort | uniq -c | tr -s ' ' | paste -sd,)"
  say "cold build + publish: ${cold} s (peak RSS ${cold_rss} MB); pull: ${pull} s"
  say "by hand: cp of the movies to publish ${cp_pub} s, to pull ${cp_pull} s"
  say "no-change rebuild: ${nochange} s ($(ratio "$nochange" "$cold") of the cold build)"
  say "one board redrawn -> published: ${redraw} s (peak RSS ${redraw_rss} MB); pulled: ${redraw_pull} s"
  grep -h '^explain: .*\.mov:\|^explain: .*\.mp4:' "$WORK/$variant-redraw.out" | sed 's/^/  /' | tee -a "$LOG" || true
  grep -h '^pulled:' "$WORK/$variant-redraw-pull.out" | sed 's/^/  /' | tee -a "$LOG" || true
  say "redraw -> published -> pulled: $(sum "$redraw" "$redraw_pull") s = $(ratio "$(sum "$redraw" "$redraw_pull")" "$(sum "$cold" "$pull")") of cold build + publish + pull ($(sum "$cold" "$pull") s)"
  say "redraw rebuild alone: $(ratio "$redraw" "$cold") of the cold build + publish"
  rm -rf "$out" "$cache" "$root" "$editor"
done
say ""; say "log: $LOG"
