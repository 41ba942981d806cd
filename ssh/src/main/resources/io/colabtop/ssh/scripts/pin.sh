# shellcheck shell=sh
# colabtop: pin_kernel sets oom_score_adj to $adj for each of $targets ("PID:START ...", START being
# field 22 of /proc/PID/stat when the user saw it, so a reused pid is never pinned) and, with
# tree=1, every descendant. It checks first that the kernel will allow it (nothing half-done),
# undoes what it changed when a write is refused, and reports "colabtop-result: pinned PID OLD NEW"
# per process. It leaves the pids in $list for what comes next (protect.sh: systemd-oomd, which
# never reads oom_score_adj). A shared part: comes after prelude.sh; the script that calls it
# names the header values it uses ($adj, $tree, $targets).
pin_kernel() {
  list=" "
  for t in $targets; do
    pid=${t%%:*}; want=${t#*:}
    read -r line 2>/dev/null < "/proc/$pid/stat" || fail "process $pid has exited"
    rest=${line##*) }
    # shellcheck disable=SC2086 # the fields after comm are split into $1.. on purpose
    set -- $rest
    [ "${20}" = "$want" ] || fail "pid $pid is now a different process (started at ${20}, expected $want): refusing"
    list="$list$pid "
  done
  if [ "$tree" = 1 ]; then
    changed=1
    while [ "$changed" = 1 ]; do
      changed=0
      for d in /proc/[0-9]*; do
        read -r line 2>/dev/null < "$d/stat" || continue
        rest=${line##*) }
        # shellcheck disable=SC2086 # the fields after comm are split into $1.. on purpose
        set -- $rest
        p=${d#/proc/}
        case "$list" in *" $2 "*) case "$list" in *" $p "*) ;; *) list="$list$p "; changed=1 ;; esac ;; esac
      done
    done
  fi
  # lowering oom_score_adj below its current value needs CAP_SYS_RESOURCE (bit 24 of
  # CapEff); root in a container may lack it. Check first: nothing half-done.
  capeff=0
  while read -r k v; do [ "$k" = CapEff: ] && capeff=$v; done < /proc/self/status
  if [ $(( 0x$capeff >> 24 & 1 )) = 0 ]; then
    for p in $list; do
      read -r old 2>/dev/null < "/proc/$p/oom_score_adj" || continue
      [ "$adj" -lt "$old" ] && fail "lowering oom_score_adj of pid $p from $old to $adj needs CAP_SYS_RESOURCE, which this root lacks (a container?); nothing was changed"
    done
  fi
  done_list=""
  undo() { for u in $done_list; do printf '%s\n' "${u#*=}" > "/proc/${u%%=*}/oom_score_adj" 2>/dev/null; done; }
  for p in $list; do
    read -r old 2>/dev/null < "/proc/$p/oom_score_adj" || { say "process $p exited meanwhile"; continue; }
    if ! err=$( { printf '%s\n' "$adj" > "/proc/$p/oom_score_adj"; } 2>&1 ); then
      undo
      fail "the kernel refused oom_score_adj=$adj for pid $p ($err); nothing was changed"
    fi
    done_list="$done_list $p=$old"
    read -r got < "/proc/$p/oom_score_adj"
    [ "$got" = "$adj" ] || { undo; fail "pid $p reads oom_score_adj=$got after writing $adj; nothing was changed"; }
    result "pinned $p $old $got"
  done
}
