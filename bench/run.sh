#!/usr/bin/env bash
# storyreel vs. the ffmpeg CLI a user would write, on the same synthetic project.
# See bench/README.md.  Dependencies: storyreel, ffmpeg, ffprobe, GNU time (/usr/bin/time), awk.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/run.sh [--scale small|10k|feature] [--codecs LIST] [--work DIR] [--skip-baseline]
                    [--storyreel PATH] [--ref-psnr|--no-ref-psnr] [--no-rebuild] [--keep]
                   [--fast-checks]
  --scale          small (20 panels, ~1,000 frames), 10k (200 panels, ~10,000 frames),
                   feature (2,000 panels, ~144,000 frames)                   [default 10k]
  --codecs         comma list of: prores (storyreel default encoder vs CLI prores_ks),
                   prores-ks, prores-aw (same encoder on both sides), dnxhr (SQ), dnxhr-lb,
                   h264-veryfast, h264-medium
                   [default: small/10k prores,prores-ks,prores-aw,dnxhr,h264-veryfast,h264-medium;
                    feature h264-veryfast,dnxhr-lb]
  --work DIR       work folder                                   [default $TMPDIR/storyreel-bench, /tmp without TMPDIR]
  --skip-baseline  time storyreel only (no ffmpeg CLI run, no PSNR vs baseline)
  --storyreel P    storyreel binary        [default: $STORYREEL, build/storyreel, /tmp/sr/storyreel, or PATH]
  --ref-psnr       also compare both outputs with a lossless reference built from the boards
                   (decodes everything once more)          [default: on for small, off otherwise]
  --no-rebuild     skip the "one board redrawn" rebuild test
  --keep           keep the movies (default: deleted once measured)
  --fast-checks    count frames from the packets instead of decoding them, skip PSNR and the
                   decode-error pass (decoding a feature-scale DNxHR movie takes ~12 minutes
                   per pass, single-threaded; the 10k scale keeps the full checks)
EOF
}

SCALE=10k; CODECS=""; WORK="${TMPDIR:-/tmp}/storyreel-bench"; SKIP_BASELINE=0; REF_PSNR=""; REBUILD=1; KEEP=0; FAST=0
SR="${STORYREEL:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE="$2"; shift 2 ;;
    --codecs) CODECS="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --skip-baseline) SKIP_BASELINE=1; shift ;;
    --storyreel) SR="$2"; shift 2 ;;
    --ref-psnr) REF_PSNR=1; shift ;;
    --no-ref-psnr) REF_PSNR=0; shift ;;
    --no-rebuild) REBUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    --fast-checks) FAST=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 64 ;;
  esac
done

# ---------------------------------------------------------------- dependencies
missing=()
command -v ffmpeg  >/dev/null || missing+=("ffmpeg (Debian package: ffmpeg)")
command -v ffprobe >/dev/null || missing+=("ffprobe (Debian package: ffmpeg)")
command -v awk     >/dev/null || missing+=("awk (Debian package: gawk or mawk)")
if [ ! -x /usr/bin/time ] || ! /usr/bin/time -f %M true >/dev/null 2>&1; then
  missing+=("GNU time at /usr/bin/time (Debian package: time)")
fi
if [ -z "$SR" ]; then
  here="$(cd "$(dirname "$0")/.." && pwd)"
  if [ -x "$here/build/storyreel" ]; then SR="$here/build/storyreel"; elif [ -x /tmp/sr/storyreel ]; then SR=/tmp/sr/storyreel; else SR="$(command -v storyreel || true)"; fi
fi
[ -n "$SR" ] && [ -x "$SR" ] || missing+=("storyreel binary (build: cmake -S . -B /tmp/sr -G Ninja && ninja -C /tmp/sr, or scripts/setup.sh build)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "run.sh: missing dependencies:" >&2; printf '  - %s\n' "${missing[@]}" >&2; exit 69
fi

# ---------------------------------------------------------------- scale
case "$SCALE" in
  small)   SEQS=1; SHOTS=2;  PANELS=10; MINH=25; MAXH=75; DEF_CODECS=prores,prores-ks,prores-aw,dnxhr,h264-veryfast,h264-medium ;;
  10k)     SEQS=2; SHOTS=10; PANELS=10; MINH=25; MAXH=75; DEF_CODECS=prores,prores-ks,prores-aw,dnxhr,h264-veryfast,h264-medium ;;
  feature) SEQS=4; SHOTS=25; PANELS=20; MINH=48; MAXH=96; DEF_CODECS=h264-veryfast,dnxhr-lb ;;
  *) echo "run.sh: --scale must be small, 10k or feature" >&2; exit 64 ;;
esac
SEED=42; RES=1920x1080
[ -n "$CODECS" ] || CODECS="$DEF_CODECS"
if [ -z "$REF_PSNR" ]; then if [ "$SCALE" = small ]; then REF_PSNR=1; else REF_PSNR=0; fi; fi
IFS=, read -r -a CODEC_LIST <<<"$CODECS"
for c in "${CODEC_LIST[@]}"; do
  case "$c" in prores|prores-ks|prores-aw|dnxhr|dnxhr-sq|dnxhr-lb|h264-veryfast|h264-medium|h264-*) ;;
    *) echo "run.sh: unknown codec case '$c'" >&2; exit 64 ;; esac
done

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
LOG="$WORK/bench-$SCALE.log"
: >"$LOG"
say() { echo "$*" | tee -a "$LOG"; }
T0=$(date +%s)

say "storyreel bench: scale=$SCALE codecs=$CODECS work=$WORK skip_baseline=$SKIP_BASELINE ref_psnr=$REF_PSNR"
say "storyreel: $SR ($("$SR" --version 2>&1 | head -1))"
say "ffmpeg:    $(ffmpeg -hide_banner -version | head -1)"
say "machine:   $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo)"

# ---------------------------------------------------------------- project
PROJ="$WORK/project-$SCALE"
STAMP="demo $SEQS $SHOTS $PANELS $MINH $MAXH $SEED $RES uniform"
if [ -f "$PROJ/project.yaml" ] && [ "$(cat "$PROJ/.bench-stamp" 2>/dev/null)" = "$STAMP" ]; then
  say "project:   reusing $PROJ"
else
  rm -rf "$PROJ"
  say "project:   generating $PROJ"
  "$SR" demo "$PROJ" --sequences $SEQS --shots $SHOTS --panels $PANELS --min-hold $MINH --max-hold $MAXH \
        --uniform --seed $SEED --resolution $RES 2>&1 | tee -a "$LOG"
  echo "$STAMP" >"$PROJ/.bench-stamp"
fi

# Parse project.yaml (as written by `storyreel demo`: frames holds, one project-level audio file).
CUT="$WORK/cut-$SCALE.tsv"     # board<TAB>frames, in cut order
awk -v dir="$PROJ" '
  function val(s) { sub(/^[^:]*:[ \t]*/, "", s); gsub(/^"|"$/, "", s); return s }
  /^[ \t]*frame_rate:/ { fr = val($0); print "#fps\t" fr }
  /^[ \t]*-?[ \t]*file:/ && !audio { audio = val($0); print "#audio\t" dir "/" audio }
  /^[ \t]*start_timecode:/ { print "#tc\t" val($0) }
  /^[ \t]*board:/ { if (board != "") { print "run.sh: panel without frames: " board > "/dev/stderr"; exit 3 }
                    board = val($0) }
  /^[ \t]*(seconds|duration):/ { print "run.sh: only frames holds are supported" > "/dev/stderr"; exit 3 }
  /^[ \t]*frames:/ { print dir "/" board "\t" val($0); board = "" }
' "$PROJ/project.yaml" >"$CUT"
FPS_STR=$(awk -F'\t' '$1=="#fps" {print $2}' "$CUT")
AUDIO=$(awk -F'\t' '$1=="#audio" {print $2}' "$CUT")
TC=$(awk -F'\t' '$1=="#tc" {print $2}' "$CUT"); [ -n "$TC" ] || TC=01:00:00:00
case "$FPS_STR" in
  23.976) FPS=24000/1001 ;; 29.97) FPS=30000/1001 ;; 47.952) FPS=48000/1001 ;; 59.94) FPS=60000/1001 ;;
  */*) FPS="$FPS_STR" ;; *) FPS="$FPS_STR/1" ;;
esac
FNUM=${FPS%/*}; FDEN=${FPS#*/}
NPANELS=$(awk -F'\t' '$1 !~ /^#/' "$CUT" | wc -l)
NFRAMES=$(awk -F'\t' '$1 !~ /^#/ {n += $2} END {print n}' "$CUT")
DUR=$(awk -v n="$NFRAMES" -v a="$FNUM" -v b="$FDEN" 'BEGIN {printf "%.6f", n*b/a}')
say "cut:       $NPANELS panels, $NFRAMES frames at $FPS fps ($DUR s), audio $AUDIO"

# ffconcat list: file + option framerate + duration per entry, last file repeated (ENCODING-NOTES traps).
LIST="$WORK/boards-$SCALE.ffconcat"
awk -F'\t' -v a="$FNUM" -v b="$FDEN" -v fps="$FPS" '
  BEGIN { print "ffconcat version 1.0" }
  $1 ~ /^#/ { next }
  { f = $1; gsub(/\047/, "\047\\\047\047", f)
    print "file \047" f "\047"; print "option framerate " fps; printf "duration %.6f\n", $2*b/a; last = f }
  END { print "file \047" last "\047"; print "option framerate " fps }
' "$CUT" >"$LIST"

# ---------------------------------------------------------------- helpers
# measure NAME cmd... -> sets M_WALL M_CPU M_RSS_MB; stdout+stderr to $WORK/NAME.out
measure() {
  local name="$1"; shift
  local tf="$WORK/$name.time"
  local rc=0
  /usr/bin/time -f "%e %U %S %M" -o "$tf" "$@" >"$WORK/$name.out" 2>&1 || rc=$?
  read -r M_WALL u s rss < <(tail -1 "$tf")
  M_CPU=$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u+s}')
  M_RSS_MB=$(awk -v k="$rss" 'BEGIN {printf "%.0f", k/1024}')
  return $rc
}
size_mb() { [ -f "$1" ] && awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b/1048576}' || echo "-"; }
count_frames() {
  if [ "$FAST" = 1 ]; then  # demuxed packets, not decoded frames (--fast-checks)
    ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$1" 2>/dev/null \
      | head -1 | tr -d ' ,\r'
    return
  fi
  ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$1" 2>/dev/null \
    | head -1 | tr -d ' ,\r'
}
stream_info() {  # codec/pix_fmt/colour + audio codec and duration, one line
  local v a
  v=$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,profile,pix_fmt,color_space,r_frame_rate \
      -of csv=p=0 "$1" 2>/dev/null | head -1)
  a=$(ffprobe -v error -select_streams a:0 -show_entries stream=codec_name,sample_rate,channels,duration \
      -of csv=p=0 "$1" 2>/dev/null | head -1)
  echo "video[$v] audio[$a]"
}
# psnr A B [prefilter-for-B] -> prints "avg y u v" (or "-"), decode problems counted in PSNR_ERRS
psnr() {
  local a="$1" b="$2" fb="${3:-}" out
  local st="settb=$FDEN/$FNUM,setpts=N"
  local graph="[0:v]$st[a];[1:v]${fb:+$fb,}$st[b];[a][b]psnr"
  if [ "$b" = "@ref" ]; then
    out=$(ffmpeg -hide_banner -nostats -i "$a" -f concat -safe 0 -i "$LIST" \
          -lavfi "[0:v]$st[a];[1:v]fps=$FPS,$fb,$st[b];[a][b]psnr" -frames:v "$NFRAMES" -f null - 2>&1 || true)
  else
    out=$(ffmpeg -hide_banner -nostats -i "$a" -i "$b" -lavfi "$graph" -f null - 2>&1 || true)
  fi
  echo "$out" | grep -Eic 'error|invalid|corrupt|non-existing|concealing' >"$WORK/psnr.errs" || true
  echo "$out" | awk '/Parsed_psnr/ { for (i = 1; i <= NF; i++) { split($i, kv, ":");
      if (kv[1] == "average") avg = kv[2]; if (kv[1] == "y") y = kv[2]; if (kv[1] == "u") u = kv[2]; if (kv[1] == "v") v = kv[2] }
      found = 1 }
    END { if (found) printf "%s (y %s u %s v %s)", avg, y, u, v; else printf "-" }'
}

# ---------------------------------------------------------------- codec cases
ROWS=()   # case|tool|wall|cpu|rss|size|frames|note
declare -A SR_WALL BASE_WALL BASE_DONE BASE_CASE
RESULT_FILE="$WORK/results-$SCALE.txt"; : >"$RESULT_FILE"
FIRST_CACHE=""; FIRST_PIPE=""; FIRST_CASE=""

for c in "${CODEC_LIST[@]}"; do
  say ""
  say "=== case $c ==="
  case "$c" in
    prores)     # storyreel's default ProRes encoder (prores_aw) vs the CLI as usually written (prores_ks)
      params="codec: prores, profile: hq"; ext=mov; pix=yuv422p10le
      vargs=(-c:v prores_ks -profile:v 3 -vendor apl0 -pix_fmt yuv422p10le); aargs=(-c:a pcm_s24le)
      fargs=(-c:v prores_aw -profile:v 3) ;;
    prores-ks)  # the same encoder on both sides
      params="codec: prores, profile: hq, encoder: prores_ks"; ext=mov; pix=yuv422p10le
      vargs=(-c:v prores_ks -profile:v 3 -vendor apl0 -pix_fmt yuv422p10le); aargs=(-c:a pcm_s24le)
      fargs=(-c:v prores_ks -profile:v 3) ;;
    prores-aw)  # the same encoder on both sides (FFmpeg's default "-c:v prores")
      params="codec: prores, profile: hq, encoder: prores_aw"; ext=mov; pix=yuv422p10le
      vargs=(-c:v prores_aw -profile:v 3 -vendor apl0 -pix_fmt yuv422p10le); aargs=(-c:a pcm_s24le)
      fargs=(-c:v prores_aw -profile:v 3) ;;
    dnxhr|dnxhr-sq)
      params="codec: dnxhr, profile: sq"; ext=mov; pix=yuv422p
      vargs=(-c:v dnxhd -profile:v dnxhr_sq -pix_fmt yuv422p); aargs=(-c:a pcm_s24le)
      fargs=(-c:v dnxhd -profile:v dnxhr_sq) ;;
    dnxhr-lb)
      params="codec: dnxhr, profile: lb"; ext=mov; pix=yuv422p
      vargs=(-c:v dnxhd -profile:v dnxhr_lb -pix_fmt yuv422p); aargs=(-c:a pcm_s24le)
      fargs=(-c:v dnxhd -profile:v dnxhr_lb) ;;
    h264-*)
      preset=${c#h264-}
      params="codec: h264, preset: $preset, crf: 20"; ext=mp4; pix=yuv420p
      vargs=(-c:v libx264 -preset "$preset" -crf 20 -pix_fmt yuv420p); aargs=(-c:a aac -movflags +faststart)
      fargs=() ;;
  esac
  tag="$SCALE-$c"
  pipe="$WORK/pipeline-$tag.yaml"
  cat >"$pipe" <<EOF
pipeline: 1
name: bench-$c
settings:
  output: whole_cut
stages:
  - name: ingest
    type: ingest
  - name: conform
    type: conform
    needs: [ingest]
  - name: temp_audio
    type: audio
  - name: enc
    type: encode
    needs: [conform, temp_audio]
    params: {$params}
EOF
  # (a) storyreel, cold cache
  out_sr="$WORK/sr-$tag"; cache="$WORK/cache-$tag"
  rm -rf "$out_sr" "$cache"; mkdir -p "$out_sr"
  sr_cmd=("$SR" build --project "$PROJ" --pipeline "$pipe" --out "$out_sr" --cache "$cache")
  say "storyreel: ${sr_cmd[*]}"
  if measure "sr-$tag" "${sr_cmd[@]}"; then sr_ok=1; else sr_ok=0; say "!! storyreel FAILED (see $WORK/sr-$tag.out):"; tail -5 "$WORK/sr-$tag.out" | tee -a "$LOG"; fi
  mov_sr=$(find "$out_sr" -maxdepth 1 -type f \( -name '*.mov' -o -name '*.mp4' \) | head -1)
  sr_w=$M_WALL sr_c=$M_CPU sr_r=$M_RSS_MB sr_s=$(size_mb "$mov_sr")
  sr_f="-"; [ -n "$mov_sr" ] && sr_f=$(count_frames "$mov_sr")
  say "storyreel: wall ${sr_w}s cpu ${sr_c}s rss ${sr_r}MB size ${sr_s}MB frames $sr_f  -> ${mov_sr:-NO OUTPUT}"
  [ -n "$mov_sr" ] && say "           $(stream_info "$mov_sr")"
  SR_WALL[$c]=$sr_w
  ROWS+=("$c|storyreel|$sr_w|$sr_c|$sr_r|$sr_s|$sr_f")

  # (a') intra codecs: the floor the issue sets, writing the movie's bytes plus encoding each
  # distinct board once with the same encoder (one ffmpeg, its own threads). Writing: as many
  # bytes as the movie, from memory, in large direct (O_DIRECT) writes -- the fastest way to
  # put them on this disk that we know of (a buffered `cp` is 2-4x slower here).
  fl_w="-"
  if [ -n "$mov_sr" ] && [ ${#fargs[@]} -gt 0 ]; then
    measure "floor-write-$tag" dd if=/dev/zero of="$WORK/floor-copy.$ext" bs=8M count="$(stat -c %s "$mov_sr")" \
        iflag=count_bytes oflag=direct; fw=$M_WALL
    rm -f "$WORK/floor-copy.$ext"
    { echo "ffconcat version 1.0"; for b in "$PROJ"/boards/*.png; do echo "file '$b'"; done; } >"$WORK/floor-boards.ffconcat"
    measure "floor-encode-$tag" ffmpeg -hide_banner -nostats -y -f concat -safe 0 -i "$WORK/floor-boards.ffconcat" \
        -vf "scale=out_color_matrix=bt709:out_range=tv,format=$pix" "${fargs[@]}" -f null -; fe=$M_WALL
    fl_w=$(awk -v a="$fw" -v b="$fe" 'BEGIN {printf "%.2f", a+b}')
    say "floor:     write the $(size_mb "$mov_sr") MB ${fw}s + encode the distinct boards ${fe}s = ${fl_w}s; storyreel/floor $(awk -v s="$sr_w" -v f="$fl_w" 'BEGIN {printf "%.2f", s/f}')"
  fi

  # (b) ffmpeg CLI baseline
  b_w="-"; mov_b=""
  bkey="${vargs[*]} ${aargs[*]}"
  if [ "$SKIP_BASELINE" = 0 ] && [ -n "${BASE_DONE[$bkey]:-}" ]; then
    # the same command line was measured for an earlier case of this run: reuse it
    IFS='|' read -r b_w b_c b_r b_s b_f mov_b <<<"${BASE_DONE[$bkey]}"
    say "baseline:  same command line as case ${BASE_CASE[$bkey]}: wall ${b_w}s cpu ${b_c}s rss ${b_r}MB size ${b_s}MB frames $b_f"
    BASE_WALL[$c]=$b_w
    ROWS+=("$c|ffmpeg CLI|$b_w|$b_c|$b_r|$b_s|$b_f")
  elif [ "$SKIP_BASELINE" = 0 ]; then
    mov_b="$WORK/baseline-$tag.$ext"; rm -f "$mov_b"
    ff_cmd=(ffmpeg -hide_banner -nostats -y -f concat -safe 0 -i "$LIST" -i "$AUDIO"
            -map 0:v:0 -map 1:a:0
            -vf "fps=$FPS,scale=out_color_matrix=bt709:out_range=tv,format=$pix,setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709"
            "${vargs[@]}" -colorspace bt709 -color_primaries bt709 -color_trc bt709 -color_range tv
            -af apad -ar 48000 -ac 2 "${aargs[@]}"
            -timecode "$TC" -t "$DUR" "$mov_b")
    say "baseline:  $(printf '%q ' "${ff_cmd[@]}")"
    if ! measure "base-$tag" "${ff_cmd[@]}"; then say "!! baseline FAILED (see $WORK/base-$tag.out)"; tail -5 "$WORK/base-$tag.out" | tee -a "$LOG"; fi
    b_w=$M_WALL; b_c=$M_CPU; b_r=$M_RSS_MB; b_s=$(size_mb "$mov_b")
    b_f=$(count_frames "$mov_b")
    say "baseline:  wall ${b_w}s cpu ${b_c}s rss ${b_r}MB size ${b_s}MB frames $b_f"
    say "           $(stream_info "$mov_b")"
    BASE_WALL[$c]=$b_w
    ROWS+=("$c|ffmpeg CLI|$b_w|$b_c|$b_r|$b_s|$b_f")
    BASE_DONE[$bkey]="$b_w|$b_c|$b_r|$b_s|$b_f|$mov_b"; BASE_CASE[$bkey]=$c
  fi

  # equivalence
  eq="frames: storyreel $sr_f, expected $NFRAMES"
  [ "$SKIP_BASELINE" = 0 ] && eq="$eq, baseline $b_f"
  if [ "$sr_f" != "$NFRAMES" ] || { [ "$SKIP_BASELINE" = 0 ] && [ "$b_f" != "$NFRAMES" ]; }; then eq="$eq  ** MISMATCH **"; fi
  say "check:     $eq"
  p_sb="-"; p_sr="-"; p_br="-"; e_sb=0
  if [ "$FAST" = 1 ]; then
    say "check:     --fast-checks: frames counted from packets; no PSNR, no decode pass"
  elif [ -n "$mov_sr" ] && [ -n "$mov_b" ] && [ -f "$mov_b" ]; then
    p_sb=$(psnr "$mov_sr" "$mov_b")
    say "check:     PSNR storyreel vs baseline: $p_sb dB   (decode warnings/errors: $(cat "$WORK/psnr.errs"))"
  fi
  if [ "$REF_PSNR" = 1 ]; then
    ref_f="scale=out_color_matrix=bt709:out_range=tv,format=$pix"
    if [ -n "$mov_sr" ]; then p_sr=$(psnr "$mov_sr" @ref "$ref_f"); say "check:     PSNR storyreel vs lossless reference: $p_sr dB (decode warnings: $(cat "$WORK/psnr.errs"))"; fi
    if [ -n "$mov_b" ] && [ -f "$mov_b" ]; then p_br=$(psnr "$mov_b" @ref "$ref_f"); say "check:     PSNR baseline  vs lossless reference: $p_br dB (decode warnings: $(cat "$WORK/psnr.errs"))"; fi
  fi
  if [ -n "$mov_sr" ] && [ "$FAST" = 0 ]; then
    derr=$(ffmpeg -hide_banner -nostats -v error -i "$mov_sr" -map 0:v -f null - 2>&1 | wc -l)
    [ "$ext" = mp4 ] || true
    say "check:     storyreel movie decode errors (ffmpeg -v error): $derr lines"
  fi
  echo "$c|$sr_w|$sr_c|$sr_r|$sr_s|$sr_f|$b_w|${b_c:--}|${b_r:--}|${b_s:--}|${b_f:--}|$p_sb|$p_sr|$p_br|$fl_w" >>"$RESULT_FILE"

  # baselines stay until the end of the run (a later case may reuse them); the first case's
  # movie and cache stay for the rebuild test (a no-change rebuild must find the movie)
  if [ -z "$FIRST_CACHE" ] && [ "$sr_ok" = 1 ] && [ "$REBUILD" = 1 ]; then
    FIRST_CACHE=$cache; FIRST_PIPE=$pipe; FIRST_CASE=$c; FIRST_OUT=$out_sr
  else
    rm -rf "$cache"
    if [ "$KEEP" = 0 ] && [ -n "$mov_sr" ]; then rm -f "$mov_sr"; fi
  fi
  unset b_c b_r b_s b_f
done
if [ "$KEEP" = 0 ]; then rm -f "$WORK"/baseline-"$SCALE"-*.mov "$WORK"/baseline-"$SCALE"-*.mp4; fi

# ---------------------------------------------------------------- rebuild after one board redrawn
RB_LINE=""
if [ "$REBUILD" = 1 ] && [ -n "$FIRST_CACHE" ]; then
  say ""
  say "=== rebuild test ($FIRST_CASE, same --cache) ==="
  measure "sr-$SCALE-nochange" "$SR" build --project "$PROJ" --pipeline "$FIRST_PIPE" --out "$FIRST_OUT" --cache "$FIRST_CACHE" || say "!! no-change rebuild failed"
  nc_w=$M_WALL; nc_c=$M_CPU; nc_r=$M_RSS_MB
  say "no-change rebuild: wall ${nc_w}s cpu ${nc_c}s rss ${nc_r}MB ($(grep -c 'is up to date' "$WORK/sr-$SCALE-nochange.out" || true) movie(s) kept as they were)"
  # redraw one board in the middle of the cut
  board=$(awk -F'\t' '$1 !~ /^#/' "$CUT" | awk -F'\t' -v n="$NPANELS" 'NR == int(n/2)+1 {print $1}')
  cp -p "$board" "$WORK/board-backup.png"
  ffmpeg -hide_banner -v error -y -i "$WORK/board-backup.png" -vf negate -frames:v 1 "$WORK/board-negated.png"
  cp "$WORK/board-negated.png" "$board"
  measure "sr-$SCALE-rebuild" "$SR" build --project "$PROJ" --pipeline "$FIRST_PIPE" --out "$FIRST_OUT" --cache "$FIRST_CACHE" --explain \
    || say "!! rebuild failed (see $WORK/sr-$SCALE-rebuild.out)"
  rb_w=$M_WALL; rb_c=$M_CPU; rb_r=$M_RSS_MB
  mov_rb=$(find "$FIRST_OUT" -maxdepth 1 -type f \( -name '*.mov' -o -name '*.mp4' \) | head -1)
  rb_f="-"; [ -n "$mov_rb" ] && rb_f=$(count_frames "$mov_rb")
  cp -p "$WORK/board-backup.png" "$board"   # restore the project
  nrebuilt=$(grep -ci 'rebuilt' "$WORK/sr-$SCALE-rebuild.out" || true)
  nreused=$(grep -ci 'reused' "$WORK/sr-$SCALE-rebuild.out" || true)
  say "redrawn board: $board"
  say "rebuild: wall ${rb_w}s cpu ${rb_c}s rss ${rb_r}MB frames $rb_f; --explain: $nrebuilt rebuilt, $nreused reused"
  grep -i 'rebuilt' "$WORK/sr-$SCALE-rebuild.out" | head -5 | sed 's/^/  /' | tee -a "$LOG"
  # how the movie was written again: patched in place, assembled in full (and why), kept
  grep -E 'patched in place|patched by appending|assembled in full|is up to date' "$WORK/sr-$SCALE-rebuild.out" | sed 's/^\[storyreel\] info: /  movie: /' | tee -a "$LOG"
  full=${SR_WALL[$FIRST_CASE]}
  RB_LINE=$(awk -v r="$rb_w" -v f="$full" -v n="$nc_w" 'BEGIN {printf "rebuild after one board redrawn: %.2f s vs full cold build %.2f s (%.1f%%); no-change rebuild %.2f s (%.1f%%)", r, f, (f > 0 ? 100*r/f : 0), n, (f > 0 ? 100*n/f : 0)}')
  [ "$KEEP" = 0 ] && rm -rf "$FIRST_CACHE" "$FIRST_OUT"/*.mov "$FIRST_OUT"/*.mp4
fi

# ---------------------------------------------------------------- table
say ""
say "=== results: scale $SCALE, $NPANELS panels, $NFRAMES frames @ $FPS, $(nproc) cores ==="
{
  printf '%-14s %-11s %9s %9s %8s %10s %8s\n' case tool wall_s cpu_s rss_MB size_MB frames
  for r in "${ROWS[@]}"; do IFS='|' read -r a b w c m s f <<<"$r"
    printf '%-14s %-11s %9s %9s %8s %10s %8s\n' "$a" "$b" "$w" "$c" "$m" "$s" "$f"; done
  echo
  printf '%-14s %12s %10s  %s\n' case "ffmpeg/sr" "sr/floor" "PSNR storyreel vs baseline [sr vs ref | baseline vs ref]"
  while IFS='|' read -r cc sw _ _ _ _ bw _ _ _ _ psb psr pbr fl; do
    ratio=$(awk -v b="$bw" -v s="$sw" 'BEGIN { if (b == "-" || s == "" || s+0 == 0) print "-"; else printf "%.1fx", b/s }')
    floor=$(awk -v f="$fl" -v s="$sw" 'BEGIN { if (f == "-" || f == "" || f+0 == 0) print "-"; else printf "%.2fx", s/f }')
    printf '%-14s %12s %10s  %s' "$cc" "$ratio" "$floor" "$psb"
    [ "$REF_PSNR" = 1 ] && printf '  [%s | %s]' "$psr" "$pbr"
    echo
  done <"$RESULT_FILE"
  [ -n "$RB_LINE" ] && { echo; echo "$RB_LINE"; }
} | tee -a "$LOG"
say ""
say "total bench time: $(( $(date +%s) - T0 )) s; log: $LOG"
