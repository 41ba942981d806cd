# shellcheck shell=sh
# colabtop: what autostop is armed on this host, read back from $state for the table and
# `colabtop autostop HOST`, one "colabtop-result: key=value" line each:
#   now=1718000400 armed=1 id=6f1c2a trigger=exits what=when PID 4242 exits since=1718000000
#   grace=300 window=0 how=detached watcher=5120 watchers=1 status_checked=1718000390 status_pending=0
#   status_since=- status_fires=- status_note=PID 4242 (python) runs
# then, once it has fired, fired_fired= fired_reason= fired_hook= fired_stop_cmd= fired_stop_rc=
# fired_stop_out=, and the last firing $log recorded (it outlives a reboot): last=1718000000 6f1c2a fired: ...
# Comes after prelude.sh, procs.sh, autostop-common.sh and its header.
: "${state:?}" "${log?}"
result "now=$(date +%s)"
if [ -r "$state/armed" ]; then
  result "armed=1"
  for k in id trigger what since grace window how unit; do
    if v=$(get "$k" "$state/armed"); then result "$k=$v"; fi
  done
  boot=
  read -r boot 2>/dev/null < /proc/sys/kernel/random/boot_id
  if [ "$(get boot "$state/armed")" != "$boot" ]; then result "stale=1"; fi
  if read -r wp ws 2>/dev/null < "$state/watcher" && alive "$wp" "$ws"; then
    result "watcher=$wp"
  else
    result "watcher=gone"
  fi
  result "watchers=$(watchers | wc -l)"
  for k in checked pending since fires note; do
    if v=$(get "$k" "$state/status"); then result "status_$k=$v"; fi
  done
  for k in fired reason hook_cmd hook stop_cmd stop_rc stop_out stop; do
    if v=$(get "$k" "$state/fired"); then result "fired_$k=$v"; fi
  done
else
  result "armed=0"
  n=$(watchers | wc -l)
  if [ "$n" -gt 0 ]; then result "watchers=$n"; fi
fi
if [ -n "$log" ] && [ -r "$log" ]; then
  l=$(grep -F ' fired: ' -- "$log" 2>/dev/null | tail -n 1)
  if [ -n "$l" ]; then result "last=$l"; fi
fi
exit 0
