#!/usr/bin/env bash
# storyreel set-up for a fresh Debian 12 machine (run as root). Idempotent.
#
#   scripts/setup.sh demo   install, build, write the demo project and render it
#   scripts/setup.sh test   install, build, run every test, then build the AddressSanitizer +
#                           UBSan copy (build-asan) and run the tests chosen for it (what CI runs)
#   scripts/setup.sh sanitize
#                           only the sanitizer part of `test` (docs/reliability.md)
#   scripts/setup.sh build  install and build only
#   scripts/setup.sh fuzz [SECONDS] [TARGET...]
#                           install clang and libFuzzer too, then scripts/fuzz.sh (docs/reliability.md)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_DIR=${STORYREEL_BUILD_DIR:-$ROOT/build}

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libtbb-dev libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev
  libavfilter-dev libopenimageio-dev libpng-dev libyaml-cpp-dev libspdlog-dev libcli11-dev
  nlohmann-json3-dev libxxhash-dev libxml2-dev libgtest-dev libgmock-dev libssl-dev
  ffmpeg libxml2-utils xxhash fonts-dejavu-core time ccache espeak-ng groff-base bsdextrautils mediainfo
  xfsprogs clang-format pmccabe
  libpocketsphinx-dev pocketsphinx-en-us libespeak-ng-dev
  slurmctld slurmd slurm-client munge
  libcairo2-dev libpango1.0-dev fonts-noto-cjk poppler-utils qpdf chromium
)
# Only `fuzz` needs these (libFuzzer comes with clang; the sanitizer build uses g++).
FUZZ_PACKAGES=(clang-14 libfuzzer-14-dev libclang-rt-14-dev)

install_packages() {
  local missing=()
  for package in "${PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#PACKAGES[@]} Debian packages already installed"
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages (${missing[*]}); run this script as root" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# build [TARGET]: everything (the tests too), or only TARGET (the demo needs only the binary).
build() {
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)" ${1:+--target "$1"}
}

run_demo() {
  local out=${STORYREEL_DEMO_DIR:-$ROOT/demo-out}
  "$BUILD_DIR/storyreel" demo "$out/project"
  "$BUILD_DIR/storyreel" build --project "$out/project" --out "$out/movies"
  echo
  echo "demo animatic written to $out/movies:"
  ls -1 "$out/movies"
}

run_tests() {
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" --timeout 900
}

# The sanitizer run (docs/reliability.md): every unit test, every bad-input, hostile-input,
# kill and cache test and the fuzz regression inputs, under ASan + UBSan. Left out: the
# Slurm cluster tests (they exercise slurmctld and take minutes), and the end-to-end tests
# whose time goes into encoding whole movies inside libav (not instrumented: the sanitizers
# add minutes there and check nothing of ours): the hour-long audio cut, the nightly farm
# run, the demo project, MXF publishing and the per-rate and per-codec encode sweeps.
SANITIZE_DIR=${STORYREEL_SANITIZE_BUILD_DIR:-$ROOT/build-asan}
SANITIZE_EXCLUDE='(^|/)(FarmOnSlurm|HostileFarmOnSlurm|Nightly|AudioLongCut|DemoProject|DemoProjectDefault|PublishMxf|RenderOutputRates|CutListsAtRate|EdlAtRate|EdlWithTransitionsAtRate|OtioAtRate|H264SkipFrames|HeldPanelMovie|SegmentWriterTemplate|StoryboarderBuild)\.'

sanitizer_environment() {
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$ROOT/tests/sanitizers/lsan.supp:print_suppressions=0
}

build_sanitized() {
  sanitizer_environment
  cmake -S "$ROOT" -B "$SANITIZE_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DSTORYREEL_SANITIZE=ON >/dev/null
  cmake --build "$SANITIZE_DIR" -j "$(nproc)"
}

run_sanitized_tests() {
  sanitizer_environment
  ctest --test-dir "$SANITIZE_DIR" --output-on-failure -j "$(nproc)" --timeout 900 -E "$SANITIZE_EXCLUDE"
}

# Runs a step and says how long it took (CI keeps the run within 90 minutes).
timed() {
  local started=$SECONDS
  "$@"
  echo "setup: $1 took $((SECONDS - started)) s"
}

case "${1:-}" in
  demo)  install_packages; build storyreel; run_demo ;;
  test)  install_packages; timed build; timed run_tests; timed build_sanitized; timed run_sanitized_tests ;;
  sanitize) install_packages; build_sanitized; run_sanitized_tests ;;
  build) install_packages; build ;;
  fuzz)  install_packages "${FUZZ_PACKAGES[@]}"; shift; exec scripts/fuzz.sh "$@" ;;
  *) echo "usage: $0 demo|test|build|sanitize|fuzz" >&2; exit 64 ;;
esac
