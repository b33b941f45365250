#!/usr/bin/env bash
# storyreel set-up for a fresh Debian 12 machine (run as root). Idempotent.
#
#   scripts/setup.sh demo   install, build, write the demo project and render it
#   scripts/setup.sh test   install, build, run every test
#   scripts/setup.sh build  install and build only
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_DIR=${STORYREEL_BUILD_DIR:-$ROOT/build}

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libtbb-dev libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev
  libavfilter-dev libopenimageio-dev libyaml-cpp-dev libspdlog-dev libcli11-dev
  nlohmann-json3-dev libxxhash-dev libxml2-dev libgtest-dev libgmock-dev libssl-dev
  ffmpeg libxml2-utils xxhash fonts-dejavu-core time ccache espeak-ng groff-base bsdextrautils mediainfo
  slurmctld slurmd slurm-client munge
)

install_packages() {
  local missing=()
  for package in "${PACKAGES[@]}"; do
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

case "${1:-}" in
  demo)  install_packages; build storyreel; run_demo ;;
  test)  install_packages; build; run_tests ;;
  build) install_packages; build ;;
  *) echo "usage: $0 demo|test|build" >&2; exit 64 ;;
esac
