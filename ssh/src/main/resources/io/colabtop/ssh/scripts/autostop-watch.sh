# shellcheck shell=sh
# colabtop: the autostop watcher, written to STATE/watch.sh by autostop-arm.sh and run as
# `/bin/sh STATE/watch.sh` in a transient systemd unit or detached (setsid, a session of its
# own): it installs nothing and is gone after a reboot. Every $period seconds it checks $trigger:
#   exits  process $pid, the one that started at $pid_start (so a reused pid does not count), is gone
#   match  no process's command line matches grep -E $regex
#   idle   CPU busy at most $cpu_max %, every GPU at most $gpu_max % (nvidia-smi) and nobody on an
#          SSH terminal, for $window seconds
# Once that has held $grace seconds more it runs the --before hook ($before, stopped after
# $before_timeout seconds), then the stop command ($stop); both are a program and its arguments,
# split on spaces, never through a shell. Each check is written to STATE/status; why it fired to
# STATE/fired and to $log, which outlives the reboot. It quits when STATE/armed no longer names
# $id (cancelled, or armed again).
# Comes after prelude.sh, procs.sh, autostop-common.sh and its header.
: "${state:?}" "${id:?}" "${trigger:?}" "${pid:?}" "${pid_start:?}" "${regex?}" "${window:?}" "${cpu_max:?}" "${gpu_max:?}" "${grace:?}" "${period:?}" "${before?}" "${before_timeout:?}" "${stop:?}" "${log?}"
umask 077
me=$(start_of $$) || exit 1
printf '%s %s\n' "$$" "$me" > "$state/watcher.tmp" && mv -f -- "$state/watcher.tmp" "$state/watcher"
napper=
# cancel sends TERM: end the nap at once (a trap waits for a foreground child, not for `wait`)
trap 'if [ -n "$napper" ]; then kill "$napper" 2>/dev/null; fi; exit 143' TERM INT
trap '' HUP PIPE

still_armed() { a=$(get id "$state/armed") && [ "$a" = "$id" ]; }
# one line to the persistent log and to syslog: why the VM went down, readable after it boots again
log_line() {
  if [ -n "$log" ]; then printf '%s %s %s\n' "$(date +%s)" "$id" "$*" >> "$log" 2>/dev/null; fi
  if command -v logger >/dev/null 2>&1; then logger -t colabtop-autostop -- "$*" 2>/dev/null; fi
  return 0
}
put_status() {
  printf 'checked %s\npending %s\nsince %s\nfires %s\nnote %s\n' "$now" "$1" "$2" "$3" "$4" > "$state/status.tmp" \
    && mv -f -- "$state/status.tmp" "$state/status"
}
record() { printf '%s %s\n' "$1" "$2" >> "$state/fired"; }
# "30m" for 1800 seconds, "90s" for 90
span() { if [ $(($1 % 60)) -eq 0 ]; then echo "$(($1 / 60))m"; else echo "${1}s"; fi; }

oom0=$(oom_kills)
t0=$(date +%s)
comm=
cg0=
if [ "$trigger" = exits ]; then
  read -r comm 2>/dev/null < "/proc/$pid/comm"
  # its cgroup (v2's "0::/system.slice/train.service" line), for systemd-oomd, which kills a cgroup
  cg0=$(sed -n 's/^0:://p' "/proc/$pid/cgroup" 2>/dev/null | head -n 1)
fi
# systemd-oomd kills a whole cgroup with SIGKILL: no kernel OOM, the oom_kill counter does not
# move. Its journal line names the cgroup (systemd 256+ says "Marked ... for killing due to"):
#   Killed /system.slice/train.service due to memory pressure for /system.slice being 57.97% > 50.00% for > 20s with reclaim activity
# The watched process was its victim when its cgroup is that one or one below it.
oomd_line() {
  [ -n "$cg0" ] && [ "$cg0" != / ] || return 1
  command -v journalctl >/dev/null 2>&1 || return 1
  # a journal that hangs must not hold the stop off
  t=
  if command -v timeout >/dev/null 2>&1; then t="timeout 10"; fi
  # shellcheck disable=SC2086 # $t is "timeout 10" or nothing: split into a command on purpose
  l=$($t journalctl -q --no-pager -o cat --since "@$t0" SYSLOG_IDENTIFIER=systemd-oomd 2>/dev/null < /dev/null \
    | grep -E '^(Killed|Marked) [^ ]+ (for killing )?due to ' | while IFS= read -r k; do
      v=${k#* }
      v=${v%% *}
      case $cg0 in "$v" | "$v"/*) printf '%s\n' "$k" ;; esac
    done | tail -n 1)
  [ -n "$l" ] && printf '%s\n' "$l" | cut -c 1-400
}
# Why process $pid went, for the audit: a kernel OOM kill counts only if the kernel's counter rose
# since arming, and is named when the kernel log (dmesg, root can read it) has its line:
#   Memory cgroup out of memory: Killed process 4242 (python) total-vm:...kB, anon-rss:...kB, ...
# or systemd-oomd's line names its cgroup (above). colabtop reads the quoted line with core.oom's
# KillLog (issue 10's kill history) for the audit. An OOM-killed run still stops the VM: the money
# matters. oom=1 once a killer is known: the reason is looked for again at each check until then
# (a journal line may come a moment after the kill).
oom=0
exit_reason() {
  gone=exited
  now_start=$(start_of "$pid" 2>/dev/null)
  if [ -n "$now_start" ] && [ "$now_start" != "$pid_start" ]; then
    gone="exited (its pid $pid is now another process)"
  fi
  oom1=$(oom_kills)
  line=
  if [ "$oom1" -gt "$oom0" ] 2>/dev/null; then
    line=$(dmesg 2>/dev/null | grep -E "Killed process $pid \\(" | tail -n 1)
  fi
  if [ -n "$line" ]; then
    oom=1
    why="PID $pid ($comm) was OOM-killed by the kernel: ${line#*] }"
  elif line=$(oomd_line); then
    oom=1
    why="PID $pid ($comm) was OOM-killed by systemd-oomd: $line"
  elif [ "$oom1" -gt "$oom0" ] 2>/dev/null; then
    if dmesg > /dev/null 2>&1; then
      why="PID $pid ($comm) $gone; the kernel OOM-killed another process meanwhile"
    else
      why="PID $pid ($comm) $gone; the kernel OOM-killed something since arming ($((oom1 - oom0)) kills) and its log is not readable to say what"
    fi
  else
    why="PID $pid ($comm) $gone; no OOM kill since arming"
  fi
}

# the hook, in a process group of its own so that a time-out ends its children too
run_hook() {
  record hook_cmd "$before"
  log_line "running the --before hook: $before"
  # $before is a program and its arguments: split on purpose, never globbed (validated: no
  # glob character, no quote)
  set -f
  # shellcheck disable=SC2086
  if command -v setsid >/dev/null 2>&1; then
    setsid $before < /dev/null > "$state/hook.out" 2>&1 &
  else
    $before < /dev/null > "$state/hook.out" 2>&1 &
  fi
  hp=$!
  set +f
  hs=$(start_of "$hp")
  printf '%s %s\n' "$hp" "$hs" > "$state/hook"
  until=$(($(date +%s) + before_timeout))
  while alive "$hp" "$hs" && [ "$(date +%s)" -lt "$until" ]; do
    sleep 1 & napper=$!; wait "$napper"; napper=
  done
  if alive "$hp" "$hs"; then
    kill -s TERM -- "-$hp" 2>/dev/null || kill -s TERM "$hp" 2>/dev/null
    i=0
    while alive "$hp" "$hs" && [ $i -lt 100 ]; do nap; i=$((i + 1)); done
    kill -s KILL -- "-$hp" 2>/dev/null
    wait "$hp" 2>/dev/null
    record hook "timed out after ${before_timeout}s: stopped (TERM, then KILL)"
    log_line "the --before hook timed out after ${before_timeout}s"
  else
    wait "$hp"
    rc=$?
    record hook "exited $rc"
    log_line "the --before hook exited $rc"
  fi
  rm -f -- "$state/hook"
}

case $trigger in
  idle) wait_s=$((window + grace)) ;;
  *) wait_s=$grace ;;
esac
start_at=
why=
prev_total=
prev_busy=
while still_armed; do
  now=$(date +%s)
  holds=0
  case $trigger in
    exits)
      if alive "$pid" "$pid_start"; then
        note="PID $pid ($comm) runs"
      else
        holds=1
        if [ "$oom" = 0 ]; then exit_reason; fi
        note=$why
      fi
      ;;
    match)
      if count_matches; then
        if [ "$matches" -gt 0 ]; then
          note="$matches processes match"
        else
          holds=1
          note="no process matches"
          why="no process matched '$regex' for $(span "$grace")"
        fi
      else
        note="grep -E refused the regex: $grep_err"
      fi
      ;;
    idle)
      cpu_ticks
      gpu_util
      pct=
      if [ -n "$prev_total" ] && [ "$total" -gt "$prev_total" ]; then
        pct=$((100 * (busy - prev_busy) / (total - prev_total)))
      fi
      prev_total=$total
      prev_busy=$busy
      if [ -z "$pct" ]; then
        note="first reading"
      elif [ "$pct" -gt "$cpu_max" ]; then
        note="busy: CPU ${pct}%"
      elif [ "$gpu" = error ]; then
        note="GPU utilisation unreadable: counted as busy"
      elif [ "$gpu" != none ] && [ "$gpu" -gt "$gpu_max" ]; then
        note="busy: GPU ${gpu}%"
      elif ssh_terminal; then
        note="someone is on an SSH terminal (pid $term_pid)"
      else
        holds=1
        note="idle: CPU ${pct}%, GPU ${gpu}, no SSH terminal"
        why="idle for $(span "$window") (CPU at most ${cpu_max}%, GPUs at most ${gpu_max}%, no SSH terminal)"
      fi
      ;;
    *) exit 1 ;;
  esac
  if [ "$holds" = 1 ]; then
    [ -n "$start_at" ] || start_at=$now
    fires=$((start_at + wait_s))
    put_status 1 "$start_at" "$fires" "$note"
    [ "$now" -lt "$fires" ] || break
  else
    start_at=
    put_status 0 - - "$note"
  fi
  sleep "$period" & napper=$!
  wait "$napper"
  napper=
done
still_armed || exit 0

now=$(date +%s)
printf 'fired %s\nreason %s\n' "$now" "$why" > "$state/fired"
log_line "fired: $why"
if [ -n "$before" ]; then run_hook; fi
if ! still_armed; then
  record stop "not run: cancelled during the --before hook"
  exit 0
fi
record stop_cmd "$stop"
log_line "stopping: $stop"
# $stop is a program and its arguments: split on purpose, never globbed
set -f
# shellcheck disable=SC2086
out=$($stop < /dev/null 2>&1)
rc=$?
set +f
record stop_rc "$rc"
record stop_out "$(printf '%s\n' "$out" | head -n 1 | cut -c 1-300)"
log_line "the stop command exited $rc"
exit 0
