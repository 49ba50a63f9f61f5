# SPDX-License-Identifier: MIT OR Apache-2.0
# Sourced by the sessions tests (uses the test's $work and fail()).

# Client $1's last decoded picture (from --dump-hashes file $2) has size $3 and shows the
# client's colour: A red, B blue, G green, H cyan (the watcher's log $work/w$1.log, if any, is
# shown when it does not).
check_picture() {
  local last yuv u v
  last=$(tail -1 "$2")
  echo "$1: $last"
  grep -Eq "^[0-9]+ $3 [0-9a-f]{16} " <<<"$last" || fail "$1's size: $last"
  read -r _ _ _ yuv <<<"$last"
  IFS=, read -r _ u v <<<"$yuv"
  case $1 in
    A) [ "$v" -gt 200 ] && [ "$u" -lt 128 ] ;;  # red
    B) [ "$u" -gt 200 ] && [ "$v" -lt 140 ] ;;  # blue
    G) [ "$u" -lt 90 ] && [ "$v" -lt 90 ] ;;    # green
    H) [ "$u" -gt 140 ] && [ "$v" -lt 60 ] ;;   # cyan
  esac || fail "$1 does not show its own colour: $yuv$([ -f "$work/w$1.log" ] &&
    echo "; watcher: $(cat "$work/w$1.log")")"
}
