# SPDX-License-Identifier: MIT OR Apache-2.0
# Sourced by the integration tests: the system services a test starts for itself. Each function
# uses the test's $work directory and its fail(), and leaves what it started for the test's
# cleanup: start_private_pipewire appends to the array `services`, start_headless_sway sets
# sway_pid (a process group: kill -- -"$sway_pid").

# A private session D-Bus, pipewire and wireplumber (DBUS_SESSION_BUS_ADDRESS exported); call
# after XDG_RUNTIME_DIR is set.
start_private_pipewire() {
  dbus-daemon --session --nofork --print-address=3 3>"$work/bus" >/dev/null 2>&1 &
  services+=($!)
  for _ in $(seq 50); do [ -s "$work/bus" ] && break; sleep 0.1; done
  export DBUS_SESSION_BUS_ADDRESS=$(head -1 "$work/bus")
  pipewire >/dev/null 2>&1 &
  services+=($!)
  sleep 0.3
  wireplumber >/dev/null 2>&1 &
  services+=($!)
  for _ in $(seq 50); do pw-cli info 0 >/dev/null 2>&1 && break; sleep 0.1; done
  # Speakers, as every desktop has: the default sink, where a stream goes when its sink goes away
  # (without it, the only sinks would be the sessions', and such a stream would move into one).
  pw-cli create-node adapter '{ factory.name=support.null-audio-sink node.name=pf-test-speakers
    media.class=Audio/Sink audio.position=[FL FR] priority.session=2000 object.linger=true }' \
    >/dev/null
  for _ in $(seq 50); do
    grep -q pf-test-speakers <<<"$(pw-metadata 0 default.audio.sink 2>/dev/null)" && break
    sleep 0.1
  done
}

# A headless, pixman-rendered sway in a runtime directory of its own (as "nobody" when run as
# root: sway refuses root), every output painted #336699; SWAYSOCK and WAYLAND_DISPLAY exported.
# Arguments: more lines for sway's config.
start_headless_sway() {
  local swayrun=$work/sway-run
  mkdir -p "$swayrun" && chmod 700 "$swayrun"
  printf '%s\n' 'output * bg #336699 solid_color' "$@" >"$work/sway.config"
  local as_user=()
  if [ "$(id -u)" = 0 ]; then
    chown 65534:65534 "$swayrun"
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
  fi
  setsid env -i PATH=/usr/bin:/bin XDG_RUNTIME_DIR="$swayrun" HOME="$swayrun" \
    WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman \
    "${as_user[@]}" sway -c "$work/sway.config" >"$work/sway.log" 2>&1 &
  sway_pid=$!
  for _ in $(seq 100); do
    SWAYSOCK=$(ls "$swayrun"/sway-ipc.*.sock 2>/dev/null | head -1) && [ -n "$SWAYSOCK" ] \
      && [ -S "$swayrun/wayland-1" ] && break
    sleep 0.05
  done
  [ -n "${SWAYSOCK:-}" ] || fail "sway did not come up: $(cat "$work/sway.log")"
  export SWAYSOCK WAYLAND_DISPLAY=$swayrun/wayland-1
}
