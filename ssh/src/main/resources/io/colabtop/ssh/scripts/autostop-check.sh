# shellcheck shell=sh
# colabtop: one reading of an autostop condition, for --from-here (colabtop, not the host, keeps
# the time and stops the VM through the Compute API). Needs no root. Reports, by $trigger:
#   exits  alive=1|0|reused comm=python oom_kill=3 [oom_line=Memory cgroup out of memory: Killed process 4242 ...]
#   match  matches=2 matched=python train.py --epochs 90 (up to 5) | error=grep's message
#   idle   cpu=BUSY TOTAL (ticks since boot) gpu=97|none|error pty=0|1
# and now=EPOCH. Comes after prelude.sh, procs.sh, autostop-common.sh and its header.
: "${state:?}" "${trigger:?}" "${pid:?}" "${pid_start:?}" "${regex?}"
result "now=$(date +%s)"
case $trigger in
  exits)
    c=
    read -r c 2>/dev/null < "/proc/$pid/comm"
    if alive "$pid" "$pid_start"; then
      result "alive=1"
    elif s=$(start_of "$pid") && [ "$s" != "$pid_start" ]; then
      result "alive=reused"
    else
      result "alive=0"
    fi
    result "comm=$c"
    result "oom_kill=$(oom_kills)"
    line=$(dmesg 2>/dev/null | grep -E "Killed process $pid \\(" | tail -n 1)
    if [ -n "$line" ]; then result "oom_line=${line#*] }"; fi
    ;;
  match)
    if count_matches; then
      result "matches=$matches"
      if [ -n "$matched" ]; then
        printf '%s\n' "$matched" | while IFS= read -r m; do result "matched=$(printf '%s' "$m" | cut -c 1-200)"; done
      fi
    else
      result "error=$grep_err"
    fi
    ;;
  idle)
    cpu_ticks
    gpu_util
    result "cpu=$busy $total"
    result "gpu=$gpu"
    if ssh_terminal; then result "pty=1"; else result "pty=0"; fi
    ;;
  *) fail "unknown trigger $trigger" ;;
esac
exit 0
