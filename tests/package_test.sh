#!/usr/bin/env bash
# Given a built tree, `cpack` should make storyreel_<version>_amd64.deb whose files unpack
# into a throw-away root (dpkg-deb -x, no container), whose Depends name the Debian runtime
# libraries, whose binary resolves every library (ldd), whose manual page renders without a
# groff warning, whose bash completion completes commands and options, and whose binary,
# run from an unrelated folder, builds a demo with the installed default pipeline.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/storyreel-package-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$BUILD" && cpack -G DEB -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1) || { cat "$WORK/cpack.log"; fail "cpack"; }
deb=$(ls "$WORK"/pkg/storyreel_*_amd64.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no storyreel_<version>_amd64.deb in $WORK/pkg: $(ls "$WORK/pkg")"
echo "package: $(basename "$deb")"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for library in libopenimageio libavcodec libavformat libtbb libyaml-cpp libspdlog libxml2; do
  [[ $depends == *"$library"* ]] || fail "Depends does not name $library"
done

root="$WORK/root"
dpkg-deb -x "$deb" "$root"
for file in usr/bin/storyreel usr/share/storyreel/configs/animatic.yaml usr/share/storyreel/configs/editorial.yaml \
            usr/share/man/man1/storyreel.1 usr/share/bash-completion/completions/storyreel; do
  [ -f "$root/$file" ] || fail "$file is not in the package"
done
missing=$(ldd "$root/usr/bin/storyreel" | grep "not found" || true)
[ -z "$missing" ] || fail "libraries not found: $missing"

version=$("$root/usr/bin/storyreel" --version)
[[ $version == storyreel\ * ]] || fail "--version printed '$version'"

warnings=$(groff -man -ww -z "$root/usr/share/man/man1/storyreel.1" 2>&1 || true)
[ -z "$warnings" ] || fail "groff warns about the manual page: $warnings"
manual=$(groff -man -Tascii "$root/usr/share/man/man1/storyreel.1" 2>/dev/null | col -b)
for text in "storyreel build" "--project" "storyreel farm submit" "EXIT STATUS" "STORYREEL_PIPELINE"; do
  [[ $manual == *"$text"* ]] || fail "the manual page has no '$text'"
done

complete_words() {  # the completions bash offers for the words given
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _storyreel; echo "${COMPREPLY[*]}"' \
    _ "$root/usr/share/bash-completion/completions/storyreel" "$@"
}
[ "$(complete_words storyreel bui)" = "build" ] || fail "completion of 'bui': '$(complete_words storyreel bui)'"
[[ " $(complete_words storyreel build --pro) " == *" --project "* ]] || fail "completion of 'build --pro'"
[[ " $(complete_words storyreel farm su) " == *" submit "* ]] || fail "completion of 'farm su'"
[[ " $(complete_words storyreel build --explain --o) " == *" --out --only "* ]] || fail "completion after a flag"
touch "$WORK/project-file.yaml"
[[ "$(cd "$WORK" && complete_words storyreel build --project project-f)" == "project-file.yaml" ]] ||
  fail "file completion after --project: '$(cd "$WORK" && complete_words storyreel build --project project-f)'"

# Run from a folder with no configs/: the installed default pipeline must be the one used.
mkdir "$WORK/elsewhere"
cd "$WORK/elsewhere"
"$root/usr/bin/storyreel" -q demo project --sequences 1 --shots 1 --panels 2 --resolution 320x180 >/dev/null
"$root/usr/bin/storyreel" -q build --project project --out movies >/dev/null
pipeline=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pipeline"]["file"])' movies/build.json)
[ "$pipeline" = "$root/usr/share/storyreel/configs/animatic.yaml" ] || fail "the build used $pipeline"
ls movies/*.mov movies/*.mp4 >/dev/null || fail "no movies: $(ls movies)"
frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 movies/sq010_prores.mov)
[ "$frames" -gt 0 ] || fail "the movie decodes to $frames frames"
# STORYREEL_PIPELINE overrides it.
cp "$root/usr/share/storyreel/configs/animatic.yaml" "$WORK/mine.yaml"
STORYREEL_PIPELINE="$WORK/mine.yaml" "$root/usr/bin/storyreel" -q build --project project --out movies2 >/dev/null
pipeline=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pipeline"]["file"])' movies2/build.json)
[ "$pipeline" = "$WORK/mine.yaml" ] || fail "STORYREEL_PIPELINE was not used: $pipeline"
echo "package test: ok"
