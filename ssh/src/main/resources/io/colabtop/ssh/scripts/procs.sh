# shellcheck shell=sh
# colabtop: processes told apart by pid and start time, so a dead process's reused pid never
# counts as it. For the swap scripts; comes after prelude.sh.
nap() { sleep 0.1 2>/dev/null || sleep 1; }
# field 22 of /proc/PID/stat (start time in ticks), e.g. "4242 (my job) S 1 ... 8123456 ...";
# the comm field may hold spaces and ')', so fields are counted after its last ')'
# shellcheck disable=SC2086 # the fields after comm are split into $1.. on purpose
start_of() { read -r l 2>/dev/null < "/proc/$1/stat" || return 1; l=${l##*) }; set -- $l; echo "${20}"; }
# true while process $1 that started at $2 runs: not gone, not a zombie, not a reused pid
alive() {
  read -r l 2>/dev/null < "/proc/$1/stat" || return 1
  l=${l##*) }
  # shellcheck disable=SC2086 # the fields after comm are split into $2.. on purpose
  set -- "$2" $l
  [ "$2" != Z ] && [ "$2" != X ] && [ "${21}" = "$1" ]
}
