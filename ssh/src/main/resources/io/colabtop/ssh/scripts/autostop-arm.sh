# shellcheck shell=sh
# colabtop: arms autostop on this host. Checks first what the watcher will need (the process is
# the one the user saw, the regex matches something now, the programs exist), then stops any
# watcher armed before (arming again replaces, never adds one), writes the state to $state, and
# starts the watcher ($watcher: the whole script) where systemd is PID 1 as a transient unit:
#   systemd-run --unit=UNIT '--description=colabtop autostop watcher' --collect --quiet /bin/sh STATE/watch.sh
# else detached: `setsid /bin/sh STATE/watch.sh` from a subshell that exits at once, so the
# watcher is no process's child here and in a session of its own. ($launcher: auto, systemd or
# detached.) Verifies that exactly one watcher runs and reports
#   colabtop-result: armed ID how=systemd|detached watcher=PID
# Comes after prelude.sh, procs.sh, autostop-common.sh and its header.
: "${state:?}" "${unit:?}" "${launcher:?}" "${watcher:?}" "${id:?}" "${trigger:?}" "${pid:?}" "${pid_start:?}" "${regex?}" "${stop_prog:?}" "${before_prog?}" "${what:?}" "${grace:?}" "${window:?}"
umask 077
parent=${state%/*}
[ -d "${parent:-/}" ] || fail "${parent} does not exist on this host: the autostop state cannot be kept there"
state_dir_ok
if [ ! -f "$stop_prog" ] || [ ! -x "$stop_prog" ]; then
  fail "the stop command $stop_prog is not an executable file on this host"
fi
if [ -n "$before_prog" ] && { [ ! -f "$before_prog" ] || [ ! -x "$before_prog" ]; }; then
  fail "the --before hook $before_prog is not an executable file on this host"
fi
case $trigger in
  exits)
    now=$(start_of "$pid") || fail "process $pid has already exited: there is nothing to wait for"
    [ "$now" = "$pid_start" ] || fail "pid $pid is now a different process (started at $now, expected $pid_start): refusing"
    ;;
  match)
    count_matches || fail "grep -E refuses the regex '$regex': $grep_err"
    [ "$matches" -gt 0 ] || fail "no process matches '$regex' now: the VM would stop at once (start the job first)"
    result "matches $matches"
    ;;
  idle) ;;
  *) fail "unknown trigger $trigger" ;;
esac
how=detached
case $launcher in
  systemd) how=systemd ;;
  detached) ;;
  auto) if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then how=systemd; fi ;;
  *) fail "unknown launcher $launcher" ;;
esac

old=
if [ -r "$state/armed" ]; then old=$(get what "$state/armed"); fi
stop_watchers || fail "a watcher armed before does not stop: $(watchers | tr '\n' ' ')"
if [ -n "$old" ]; then say "replaced the autostop armed before ($old)"; fi
rm -rf -- "$state"
mkdir -m 700 -- "$state" || fail "cannot make $state"
if ! { printf '%s\n' "$watcher" > "$state/watch.sh.tmp" && mv -f -- "$state/watch.sh.tmp" "$state/watch.sh"; }; then
  rm -rf -- "$state"
  fail "cannot write $state/watch.sh"
fi
boot=
read -r boot 2>/dev/null < /proc/sys/kernel/random/boot_id
if ! {
  printf 'id %s\ntrigger %s\nwhat %s\nsince %s\n' "$id" "$trigger" "$what" "$(date +%s)"
  printf 'grace %s\nwindow %s\nhow %s\nunit %s\nboot %s\n' "$grace" "$window" "$how" "$unit" "$boot"
} > "$state/armed.tmp" || ! mv -f -- "$state/armed.tmp" "$state/armed"; then
  rm -rf -- "$state"
  fail "cannot write $state/armed"
fi

if [ "$how" = systemd ]; then
  say "systemd-run --unit=$unit '--description=colabtop autostop watcher' --collect --quiet /bin/sh $state/watch.sh"
  if ! err=$(systemd-run --unit="$unit" "--description=colabtop autostop watcher" --collect --quiet /bin/sh "$state/watch.sh" 2>&1); then
    rm -rf -- "$state"
    fail "systemd-run failed: $err"
  fi
else
  say "setsid /bin/sh $state/watch.sh"
  if command -v setsid >/dev/null 2>&1; then
    ( setsid /bin/sh "$state/watch.sh" < /dev/null > /dev/null 2> "$state/watch.err" & )
  else
    ( /bin/sh "$state/watch.sh" < /dev/null > /dev/null 2> "$state/watch.err" & )
  fi
fi
i=0
wp=
ws=
until [ -s "$state/watcher" ] && read -r wp ws < "$state/watcher" && alive "$wp" "$ws"; do
  i=$((i + 1))
  if [ "$i" -ge 100 ]; then
    err=$(head -c 300 -- "$state/watch.err" 2>/dev/null)
    stop_watchers
    rm -rf -- "$state"
    fail "the watcher did not start${err:+: $err}; nothing is armed"
  fi
  nap
done
n=$(watchers | wc -l)
[ "$n" -eq 1 ] || fail "$n watchers run for $state, not 1"
result "armed $id how=$how watcher=$wp"
