# shellcheck shell=sh
# colabtop: removes the autostop armed on this host: stops its watcher (its systemd unit, or the
# detached process, checked by pid and start time) and a --before hook it runs, removes $state,
# and checks that no watcher is left. Reports "colabtop-result: cancelled WHAT" or
# "colabtop-result: nothing" when none was armed.
# Comes after prelude.sh, procs.sh, autostop-common.sh and its header.
: "${state:?}" "${unit:?}"
was=
if [ -r "$state/armed" ]; then was=$(get what "$state/armed"); fi
if [ -z "$was" ] && [ ! -e "$state" ] && [ -z "$(watchers)" ]; then
  result "nothing"
  exit 0
fi
state_dir_ok
stop_watchers || fail "the watcher does not stop: $(watchers | tr '\n' ' ')"
say "stopped the watcher"
rm -rf -- "$state" || fail "cannot remove $state"
[ ! -e "$state" ] || fail "$state is still there"
say "removed $state"
result "cancelled ${was:-a watcher without state}"
