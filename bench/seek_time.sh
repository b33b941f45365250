#!/usr/bin/env bash
# bench/seek_time.sh: how long a browser takes to show a frame deep inside a long hold of
# an H.264 review movie, with one IDR per drawing (keyframe_seconds: 0) and with the
# drawing's IDR repeated every 2 s (the default), measured in headless Chromium (Debian's
# `chromium` package) from the same files.
#
#   bench/seek_time.sh [--hold FRAMES] [--runs N] [--work DIR]
#
# A 1080p24 project with two panels held FRAMES frames each (default 2,500) is built twice;
# a page opens each movie from a file:// URL, seeks to the last frame of the first hold,
# then to frames spread over both holds, and reports the time from setting currentTime to
# the 'seeked' event (median of N page loads; the first seek is the one the issue measured).
set -euo pipefail
cd "$(dirname "$0")/.."
HOLD=2500 RUNS=3 WORK=$(mktemp -d /tmp/storyreel-seek-XXXXXX)
while [ $# -gt 0 ]; do
  case $1 in
    --hold) HOLD=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    *) echo "usage: $0 [--hold FRAMES] [--runs N] [--work DIR]" >&2; exit 64 ;;
  esac
done
STORYREEL=${STORYREEL:-build/storyreel}
CHROMIUM=${CHROMIUM:-chromium}
command -v "$CHROMIUM" >/dev/null || { echo "seek_time: needs Debian's chromium (apt-get install chromium)" >&2; exit 1; }

"$STORYREEL" -q demo "$WORK/project" --sequences 1 --shots 1 --panels 2 --min-hold "$HOLD" --max-hold "$HOLD" \
  --resolution 1920x1080 >/dev/null
for interval in 0 2; do
  cat > "$WORK/review-$interval.yaml" <<YAML
pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
  - {name: review, type: encode, needs: [conform, audio], params: {codec: h264, keyframe_seconds: $interval}}
YAML
  "$STORYREEL" -q build --project "$WORK/project" --pipeline "$WORK/review-$interval.yaml" --out "$WORK/out-$interval" >/dev/null
done

# The page: seek, wait for 'seeked', log the milliseconds through the console.
cat > "$WORK/seek.html" <<'HTML'
<!doctype html><meta charset="utf-8"><video id="v" muted preload="auto"></video>
<script>
const params = new URLSearchParams(location.search);
const video = document.getElementById('v');
const hold = Number(params.get('hold')), fps = 24;
const targets = [hold - 1, Math.floor(hold / 2), hold + Math.floor(hold * 0.9), 10, 2 * hold - 1];
video.src = params.get('movie');
function seek(i, times) {
  if (i === targets.length) { console.log('SEEK_MS ' + times.join(' ')); return; }
  const started = performance.now();
  video.addEventListener('seeked', () => { times.push((performance.now() - started).toFixed(1)); seek(i + 1, times); }, {once: true});
  video.currentTime = (targets[i] + 0.5) / fps;
}
video.addEventListener('loadeddata', () => seek(0, []), {once: true});
video.addEventListener('error', () => console.log('SEEK_ERROR ' + video.error.code));
</script>
HTML

echo "hold: $HOLD frames at 1080p24; seeks to frames $((HOLD-1)) (first), $((HOLD/2)), $((HOLD + HOLD*9/10)), 10, $((2*HOLD-1))"
printf '%-22s %-12s %s\n' "keyframe_seconds" "first seek" "all seeks (ms), per page load"
for interval in 0 2; do
  movie="$WORK/out-$interval/sq010_review.mp4"
  firsts=()
  lines=""
  for run in $(seq 1 "$RUNS"); do
    log="$WORK/chromium-$interval-$run.log"
    "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --autoplay-policy=no-user-gesture-required \
      --allow-file-access-from-files --enable-logging=stderr --v=0 --user-data-dir="$WORK/profile-$interval-$run" \
      "file://$WORK/seek.html?movie=file://$movie&hold=$HOLD" >/dev/null 2>"$log" &
    pid=$!
    for _ in $(seq 1 600); do grep -q 'SEEK_' "$log" && break; sleep 0.1; done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    out=$(grep -o 'SEEK_[A-Z]* [0-9. ]*' "$log" | head -1 || true)
    [ -n "$out" ] || out="SEEK_MS (no result)"
    lines="$lines [${out#SEEK_MS }]"
    firsts+=("$(echo "$out" | awk '{print $2}')")
  done
  median=$(printf '%s\n' "${firsts[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-22s %-12s %s\n' "$interval" "${median} ms" "$lines"
done
echo "movies and page: $WORK"
