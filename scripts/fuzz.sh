#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) and runs each for a given time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 600 seconds, every target
#
# Needs clang++ and libFuzzer (Debian: clang-14 libfuzzer-14-dev libclang-rt-14-dev).
# Targets run one after another (STORYREEL_FUZZ_JOBS=N runs N at once) at nice 5.
# Everything they write goes outside the source tree, under
# STORYREEL_FUZZ_OUT (default ${TMPDIR:-/tmp}/storyreel-fuzz)/<target>/:
#   corpus/    the inputs found so far (kept: the next run continues from them)
#   findings/  crashing, leaking or slow inputs (crash-*, leak-*, timeout-*, oom-*)
#   log        libFuzzer's output
#   tmp/       the readers' scratch files
# and a summary line per target (seconds, executions, cov, ft, findings) to summary.txt.
# Seeds: tests/fuzz/seeds/<target>/, tests/fuzz/regressions/<target>/, and the real
# Storyboarder samples in ../shared/samples (read in place) when present.
# A finding that is fixed goes into tests/fuzz/regressions/<target>/ (see docs/reliability.md).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_EACH=${1:-600}
shift || true
BUILD_DIR=${STORYREEL_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
OUT=${STORYREEL_FUZZ_OUT:-${TMPDIR:-/tmp}/storyreel-fuzz}
JOBS=${STORYREEL_FUZZ_JOBS:-1}
SAMPLES=$ROOT/../shared/samples/storyboarder

ALL_TARGETS=$(awk '/^set\(STORYREEL_FUZZ_READERS/{on=1} on{print} on&&/\)/{exit}' \
  tests/fuzz/CMakeLists.txt | sed 's/set(STORYREEL_FUZZ_READERS//; s/)//' | xargs)
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && read -r -a TARGETS <<<"$ALL_TARGETS"
for target in "${TARGETS[@]}"; do
  case " $ALL_TARGETS " in
    *" $target "*) ;;
    *) echo "fuzz: no target '$target' (targets: $ALL_TARGETS)" >&2; exit 64 ;;
  esac
done

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; install clang-14 libfuzzer-14-dev libclang-rt-14-dev" >&2
  exit 69
fi
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_CXX_COMPILER=clang++ \
  -DSTORYREEL_FUZZ=ON -DSTORYREEL_BUILD_TESTS=OFF >/dev/null
nice cmake --build "$BUILD_DIR" -j "$(nproc)" --target storyreel_fuzz

# The samples a target also starts from, copied out of ../shared (never into the repo).
samples_for() {
  local target=$1 pattern
  case $target in
    storyboarder_scene) pattern='*.storyboarder' ;;
    fountain) pattern='*.fountain' ;;
    fdx) pattern='*.fdx' ;;
    *) return 0 ;;
  esac
  [ -d "$SAMPLES" ] && find "$SAMPLES" -name "$pattern" -type f
  return 0
}

run_target() {
  local target=$1 dir=$OUT/$1
  mkdir -p "$dir/corpus" "$dir/findings" "$dir/samples" "$dir/tmp"
  samples_for "$target" | while read -r sample; do cp "$sample" "$dir/samples/"; done
  local seeds=()
  for folder in "$ROOT/tests/fuzz/seeds/$target" "$ROOT/tests/fuzz/regressions/$target" "$dir/samples"; do
    [ -d "$folder" ] && seeds+=("$folder")
  done
  local started=$(date +%s)
  # The corpus is the first folder: libFuzzer adds what it finds there, reads the others.
  # Fork mode keeps fuzzing after a finding (each is saved), so one shallow bug does not
  # end the run.
  # The readers' workspaces (and any a crash leaves behind) go to $dir/tmp.
  TMPDIR="$dir/tmp" nice -n 5 "$BUILD_DIR/tests/fuzz/fuzz_$target" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
    -ignore_ooms=1 -max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=2560 \
    -max_len=${STORYREEL_FUZZ_MAX_LEN:-16384} -artifact_prefix="$dir/findings/" \
    "$dir/corpus" "${seeds[@]}" >"$dir/log" 2>&1 || true
  local ran=$(( $(date +%s) - started ))
  local last=$(grep -E '^#[0-9]+' "$dir/log" | tail -1)
  local runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
  local findings=$(find "$dir/findings" -type f | wc -l)
  local line
  line=$(printf '%-22s %5ss  %10s runs  cov %-6s ft %-7s findings %s' "$target" "$ran" "${runs:-?}" \
    "$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")" "$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")" \
    "$findings")
  echo "$line" | tee -a "$OUT/summary.txt"
}

mkdir -p "$OUT"
echo "fuzz: ${#TARGETS[@]} target(s), ${SECONDS_EACH}s each, $JOBS at once; output in $OUT"
running=0
for target in "${TARGETS[@]}"; do
  run_target "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait
if find "$OUT" -path '*/findings/*' -type f | grep -q .; then
  echo "fuzz: findings in $OUT/*/findings (reproduce: $BUILD_DIR/tests/fuzz/fuzz_TARGET FILE)"
fi
