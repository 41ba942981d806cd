# shellcheck shell=sh
# colabtop: the relay of swap-worker.sh. Starts the worker ($worker: the whole worker script)
# detached, heartbeats to colabtop, passes on the worker's progress about twice a second
# ("colabtop-progress: zeros 67108864 268435456"), prints the worker's report and exits with
# its status.
# Comes after prelude.sh, procs.sh and its header.
: "${worker:?}"
umask 077
tmpbase=/run; [ -d /run ] && [ -w /run ] || tmpbase=/tmp
state=$(mktemp -d "$tmpbase/colabtop-swap.XXXXXX") || fail "cannot make a state directory in $tmpbase"
me=$(start_of $$) || fail "cannot read /proc/$$/stat"
# Started from a subshell that exits at once, so the worker is no process's child here and in
# a session of its own: what kills this session's processes does not reach it.
if command -v setsid >/dev/null 2>&1; then
  ( setsid /bin/sh -c "$worker" colabtop-swap-worker "$state" "$$" "$me" </dev/null >"$state/out" 2>"$state/err" & )
else
  ( /bin/sh -c "$worker" colabtop-swap-worker "$state" "$$" "$me" </dev/null >"$state/out" 2>"$state/err" & )
fi
n=0
until [ -e "$state/rc" ]; do
  # A line each turn, the worker's progress or an empty one. Writing it kills this shell (SIGPIPE)
  # once colabtop is gone: the connection dropped, colabtop was killed, gave up or the user
  # cancelled. The worker sees this shell go and undoes.
  if [ $((n % 5)) -eq 0 ] && [ -s "$state/progress" ] && read -r pl < "$state/progress"; then
    printf 'colabtop-progress: %s\n' "$pl" || exit 1
  else
    printf '\n' || exit 1
  fi
  if [ -s "$state/pid" ]; then
    read -r wpid wstart < "$state/pid"
    if ! alive "$wpid" "$wstart" && [ ! -e "$state/rc" ]; then
      cat "$state/out"; rm -rf -- "$state"
      fail "the swap worker (pid $wpid) stopped without a result"
    fi
  elif [ "$n" -ge 300 ]; then
    rm -rf -- "$state"; fail "the swap worker did not start"
  fi
  n=$((n + 1))
  # short naps first: a fallocated file is active within a few tens of milliseconds
  if [ "$n" -lt 50 ]; then sleep 0.02 2>/dev/null || nap; else nap; fi
done
cat "$state/out"
cat "$state/err" >&2
read -r rc < "$state/rc"
rm -rf -- "$state"
exit "${rc:-1}"
