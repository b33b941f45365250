#!/usr/bin/env bash
# Checks a reviewer would otherwise make by hand (run by ctest as Code.*; docs/design.md):
#
#   scripts/check_code.sh format   every C++ file is as .clang-format writes it (clang-format 14)
#   scripts/check_code.sh size     no product file over 500 lines, no function over 70 (pmccabe)
#
# Product code is every folder of the tree but tests/ and build folders. Exits 1 naming every
# file or function over the line, 0 when there is none.
set -euo pipefail

cd "$(dirname "$0")/.."
MAX_FILE_LINES=500
MAX_FUNCTION_LINES=70

cpp_files() {  # $1: "product" or "all"
  local folders
  if [ "$1" = product ]; then
    folders=$(find . -mindepth 1 -maxdepth 1 -type d ! -name '.*' ! -name 'build*' ! -name tests \
      ! -name 'demo-out' -printf '%P\n' | sort)
  else
    folders=$(find . -mindepth 1 -maxdepth 1 -type d ! -name '.*' ! -name 'build*' \
      ! -name 'demo-out' -printf '%P\n' | sort)
  fi
  # shellcheck disable=SC2086
  find $folders -type f \( -name '*.cpp' -o -name '*.h' \) | sort
}

check_format() {
  local formatter
  formatter=$(command -v clang-format-14 || command -v clang-format || true)
  if [ -z "$formatter" ]; then
    echo "check_code: clang-format is not installed (scripts/setup.sh installs it)" >&2
    exit 2
  fi
  local files bad=0
  mapfile -t files < <(cpp_files all)
  if ! "$formatter" --dry-run --Werror "${files[@]}" 2>/tmp/check_code.$$; then
    grep -o '^[^:]*:[0-9]*:[0-9]*: error' /tmp/check_code.$$ | cut -d: -f1 | sort | uniq -c \
      | awk '{print "check_code: " $2 ": " $1 " line(s) not as .clang-format writes them"}'
    bad=1
  fi
  rm -f /tmp/check_code.$$
  if [ $bad -ne 0 ]; then
    echo "check_code: run: clang-format -i \$(git ls-files '*.cpp' '*.h')" >&2
    exit 1
  fi
  echo "check_code: ${#files[@]} files as .clang-format writes them"
}

check_size() {
  command -v pmccabe >/dev/null || { echo "check_code: pmccabe is not installed (scripts/setup.sh installs it)" >&2; exit 2; }
  local files copy bad=0
  mapfile -t files < <(cpp_files product)
  copy=$(mktemp -d)
  trap 'rm -rf "$copy"' RETURN
  for file in "${files[@]}"; do
    local lines
    lines=$(wc -l < "$file")
    if [ "$lines" -gt $MAX_FILE_LINES ]; then
      echo "check_code: $file has $lines lines (more than $MAX_FILE_LINES): split it by concept"
      bad=1
    fi
    # pmccabe predates C++14 digit separators (1'000'000): drop them, keeping line numbers.
    mkdir -p "$copy/$(dirname "$file")"
    sed -E ":a; s/([0-9])'([0-9])/\1\2/g; ta" "$file" > "$copy/$file"
  done
  # pmccabe columns: modified and traditional complexity, statements, first line, lines, where.
  local long
  long=$(cd "$copy" && pmccabe "${files[@]}" 2>/dev/null \
    | awk -v max=$MAX_FUNCTION_LINES '$5 > max {print "check_code: " $6 " " $7 " has " $5 " lines (more than " max "): split it"}')
  if [ -n "$long" ]; then
    echo "$long"
    bad=1
  fi
  [ $bad -eq 0 ] && echo "check_code: ${#files[@]} product files, none over $MAX_FILE_LINES lines, no function over $MAX_FUNCTION_LINES"
  return $bad
}

case "${1:-}" in
  format) check_format ;;
  size) check_size ;;
  *) echo "usage: $0 format|size" >&2; exit 64 ;;
esac
