#!/usr/bin/env bash
# bench/words_timing.sh: words timing (speech recognition) against energy onsets (dialogue
# timing) on the accuracy set of issue 18, scored against the generator's truth.
#
#   bench/words_timing.sh [--build DIR] [--ten-minutes]
#
# The set (tests/support/dialogue_testset.h): 34 espeak-ng lines over three voices
# (en-us, en-gb-x-rp+f3, en-gb-scotland+m3) at 140 and 190 words a minute, four with a
# pause inside, five one-word lines, three made-up names, a door slam after every fifth
# line and one line on its panel but not in the recording; once clean, once over a music
# bed 20 dB under the speech. --ten-minutes also times a 10-minute track (the script five
# times). Prints a markdown table per case and every line not aligned within 2 frames.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=build FILTER='WordsBench.DISABLED_AccuracySet'
while [ $# -gt 0 ]; do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --ten-minutes) FILTER='WordsBench.*'; shift ;;
    *) echo "usage: $0 [--build DIR] [--ten-minutes]" >&2; exit 2 ;;
  esac
done
exec nice "$BUILD/tests/storyreel_tests" --gtest_filter="$FILTER" --gtest_also_run_disabled_tests
