# shellcheck shell=sh
# colabtop: what the autostop scripts share; comes after prelude.sh and procs.sh. An autostop's
# state is the directory $state (in /run, root's, 0700: tmpfs, so a reboot forgets it), of files
# of "key value" lines, never sourced:
#   armed     what was armed: "id 6f1c2a", "trigger exits", "what when PID 4242 exits", "since 1718000000"
#   watch.sh  the watcher; it runs as `/bin/sh STATE/watch.sh`, the command line it is found by
#   watcher   "PID START" of the watcher (START: field 22 of /proc/PID/stat)
#   status    its last check: "checked 1718000060", "pending 1", "since 1718000000", "fires 1718000300", "note ..."
#   hook      "PID START" of a --before hook while it runs (a process group of its own)
#   fired     when it fired and why, how the hook and the stop command ended
# The functions use $state (and $unit, $regex) from the script's header.

# the value of key $1 in the "key value" file $2 (the first line with that key)
get() {
  [ -r "$2" ] || return 1
  while read -r k v; do
    if [ "$k" = "$1" ]; then printf '%s\n' "$v"; return 0; fi
  done < "$2"
  return 1
}

# a process's command line with its arguments joined by spaces (NULs and newlines become spaces)
cmdline_of() { tr '\0\n' '  ' < "/proc/$1/cmdline" 2>/dev/null; }

# "PID START" of each watcher of $state: a process run as `/bin/sh STATE/watch.sh` whose parent is
# not one too (a watcher's own subshells carry its command line)
watchers() {
  want="/bin/sh $state/watch.sh "
  for d in /proc/[0-9]*; do
    read -r c 2>/dev/null < "$d/comm" || continue
    case $c in sh|dash|bash|busybox) ;; *) continue ;; esac
    [ "$(cmdline_of "${d#/proc/}")" = "$want" ] || continue
    read -r l 2>/dev/null < "$d/stat" || continue
    l=${l##*) }
    # shellcheck disable=SC2086 # the fields after comm are split into $1.. on purpose
    set -- $l
    [ "$1" != Z ] || continue
    [ "$(cmdline_of "$2")" = "$want" ] && continue
    printf '%s %s\n' "${d#/proc/}" "${20}"
  done
}

# stops the watchers of $state, a --before hook one runs and its systemd unit (TERM, then KILL);
# true when none is left
stop_watchers() {
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl stop "${unit:-colabtop-autostop}.service" >/dev/null 2>&1
  fi
  if read -r hp hs 2>/dev/null < "$state/hook" && alive "$hp" "$hs"; then
    kill -s TERM -- "-$hp" 2>/dev/null || kill -s TERM "$hp" 2>/dev/null
  fi
  for sig in TERM TERM KILL; do
    list=$(watchers)
    [ -n "$list" ] || return 0
    printf '%s\n' "$list" | while read -r wp ws; do
      if alive "$wp" "$ws"; then kill -s "$sig" "$wp" 2>/dev/null; fi
    done
    i=0
    while [ "$i" -lt 20 ] && [ -n "$(watchers)" ]; do nap; i=$((i + 1)); done
  done
  [ -z "$(watchers)" ]
}

# the refusal when $state is there but not a plain directory of root's (a link could point anywhere)
state_dir_ok() {
  [ -e "$state" ] || [ -L "$state" ] || return 0
  if [ -L "$state" ] || [ ! -d "$state" ]; then fail "$state is not a directory: remove it"; fi
  o=$(stat -c %u -- "$state") || fail "cannot stat $state"
  [ "$o" = 0 ] || fail "$state is not root's (uid $o): remove it"
}

# CPU ticks since boot, all CPUs, from the first line of /proc/stat (guest time is counted in user):
#   cpu  1004298 0 254631 748464 7453 0 1909 2138 0 0
# sets total and busy (all but idle and iowait)
cpu_ticks() {
  read -r _ u n s i w q sq st _ < /proc/stat || return 1
  total=$((u + n + s + i + w + q + sq + ${st:-0}))
  # shellcheck disable=SC2034 # for the script that reads the CPU
  busy=$((total - i - w))
}

# the busiest GPU's utilisation in %, in $gpu: "none" without nvidia-smi, "error" when it cannot
# say (a driver that hangs or answers [N/A]); one line per GPU:
#   nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits  ->  97
gpu_util() {
  if ! command -v nvidia-smi >/dev/null 2>&1; then gpu=none; return 0; fi
  to=
  if command -v timeout >/dev/null 2>&1; then to="timeout 20"; fi
  # $to is "timeout 20" or nothing: split into a command on purpose
  # shellcheck disable=SC2086
  if ! out=$($to nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits 2>/dev/null); then
    gpu=error; return 0
  fi
  gpu=
  for g in $out; do
    case $g in ''|*[!0-9]*) gpu=error; return 0 ;; esac
    if [ -z "$gpu" ] || [ "$g" -gt "$gpu" ]; then gpu=$g; fi
  done
  [ -n "$gpu" ] || gpu=error
}

# true when someone is on an SSH terminal: a process on a pseudo-terminal (field 7 of
# /proc/PID/stat, the tty, has major 136-143: /dev/pts/N) that descends from sshd (OpenSSH 9.8+
# names its session process sshd-session). A plain exec (scp, colabtop's probe and scripts) has
# no terminal, and tmux's terminals descend from the tmux server, not from sshd. Sets term_pid.
ssh_terminal() {
  for d in /proc/[0-9]*; do
    read -r l 2>/dev/null < "$d/stat" || continue
    l=${l##*) }
    # shellcheck disable=SC2086 # the fields after comm are split into $1.. on purpose
    set -- $l
    [ "$5" -gt 0 ] 2>/dev/null || continue
    major=$((($5 >> 8) & 4095))
    if [ "$major" -lt 136 ] || [ "$major" -gt 143 ]; then continue; fi
    p=$2
    n=0
    while [ "$p" -gt 1 ] 2>/dev/null && [ "$n" -lt 64 ]; do
      read -r c 2>/dev/null < "/proc/$p/comm" || break
      # shellcheck disable=SC2034 # for the watcher's note
      case $c in sshd|sshd-session) term_pid=${d#/proc/}; return 0 ;; esac
      read -r l 2>/dev/null < "/proc/$p/stat" || break
      l=${l##*) }
      # shellcheck disable=SC2086 # the fields after comm are split into $1.. on purpose
      set -- $l
      p=$2
      n=$((n + 1))
    done
  done
  return 1
}

# how many processes' command lines (arguments joined by spaces) `grep -E -- "$regex"` matches,
# in $matches, and the first few in $matched; fails when grep refuses the regex (its message in
# $grep_err). Left out: this shell ($$) and its children, kernel threads, and colabtop's own
# scripts, whose command lines carry text that may match anything: the watcher
# (/bin/sh STATE/watch.sh), the probe (/bin/sh -c SCRIPT colabtop-probe N), the swap worker.
count_matches() {
  all=
  for d in /proc/[0-9]*; do
    p=${d#/proc/}
    [ "$p" != "$$" ] || continue
    read -r l 2>/dev/null < "$d/stat" || continue
    l=${l##*) }
    # shellcheck disable=SC2086 # the fields after comm are split into $1.. on purpose
    set -- $l
    if [ "$2" = "$$" ] || [ "$2" = 2 ] || [ "$p" = 2 ]; then continue; fi
    c=$(cmdline_of "$p")
    case $c in
      ''|"/bin/sh $state/watch.sh "|"/bin/sh -c "*" colabtop-probe "*|"/bin/sh -c "*" colabtop-swap-worker "*) continue ;;
    esac
    all="$all$c
"
  done
  # shellcheck disable=SC2034 # for the script's message
  grep_err=$(printf '' | grep -E -- "${regex:-}" 2>&1 >/dev/null)
  [ $? -le 1 ] || return 1
  # shellcheck disable=SC2034 # for the script that lists them
  matched=$(printf '%s' "$all" | grep -E -- "$regex" | head -n 5)
  matches=$(printf '%s' "$all" | grep -E -c -- "$regex")
  case $matches in ''|*[!0-9]*) matches=0 ;; esac
}

# the kernel's count of OOM kills since boot (/proc/vmstat "oom_kill 3", kernels 4.13+; 0 before)
oom_kills() {
  while read -r k v; do
    if [ "$k" = oom_kill ]; then printf '%s\n' "$v"; return 0; fi
  done < /proc/vmstat
  echo 0
}
