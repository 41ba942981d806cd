# shellcheck shell=sh
# colabtop: creates and enables a swap file; started by swap-on.sh detached from the SSH session
# (a child of no one there, in a session of its own), as
#   /bin/sh -c "$worker" colabtop-swap-worker STATE_DIR RELAY_PID RELAY_START
# It reports to the relay through STATE_DIR (pid, out, err, rc) and watches it: when the relay
# goes away before the swap is active (the connection dropped, colabtop was killed or timed out)
# it stops dd and removes the partial file. Before creating anything it checks again, on the
# host, the path (check_path) and that the disk keeps its reserve: the larger of the plan's
# (reserve_kb) and the file system's max(10%, 5 GiB) now. size_mb is 0 when the plan found the
# path already active (then nothing is created if it no longer is).
# Comes after prelude.sh, procs.sh, swap-common.sh and its header.
: "${path:?}" "${size_mb:?}" "${persist:?}" "${fstab:?}" "${reserve_kb:?}" "${planned_avail_kb:?}" "${lock:?}"
state=$1; relay=$2; relay_start=$3
umask 077
printf '%s %s\n' "$$" "$(start_of $$)" > "$state/pid.tmp" && mv -f -- "$state/pid.tmp" "$state/pid"
made=0
child=
# shellcheck disable=SC2317 # run by the EXIT trap
finish() {
  rc=$?
  if [ -n "$child" ]; then kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; child=; fi
  if [ "$made" = 1 ]; then
    first_field_in /proc/swaps "$path" && swapoff "$path" 2>/dev/null
    rm -f -- "$path"
    say "removed the partial $path"
    [ "$rc" = 0 ] && rc=1
  fi
  unlock
  if alive "$relay" "$relay_start"; then
    printf '%s\n' "$rc" > "$state/rc.tmp" && mv -f -- "$state/rc.tmp" "$state/rc"
  else
    rm -rf -- "$state"
  fi
}
trap finish EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
trap '' PIPE
# colabtop is gone (its relay died): stop, and the EXIT trap undoes what was made
relay_here() {
  alive "$relay" "$relay_start" && return 0
  say "colabtop went away (connection closed, colabtop killed or timed out): undoing"
  exit 1
}
# what it is doing, for the relay to pass on: "PHASE BYTES_DONE BYTES_IN_ALL"
progress() {
  printf '%s %s %s\n' "$1" "$2" "$((size_mb * 1048576))" > "$state/progress.tmp" \
    && mv -f -- "$state/progress.tmp" "$state/progress"
}
# zeros with dd, in the background so the relay is watched while it writes; the file's size is
# how far dd has got (it writes in order)
write_zeros() {
  rm -f -- "$path"
  progress zeros 0
  dd if=/dev/zero of="$path" bs=1M count="$size_mb" status=none &
  child=$!
  while running "$child"; do
    relay_here
    progress zeros "$(stat -c %s -- "$path" 2>/dev/null || echo 0)"
    nap
  done
  wait "$child"; st=$?; child=
  return "$st"
}
persist_it() {
  [ "$persist" = 1 ] || return 0
  if first_field_in "$fstab" "$path"; then say "$fstab already has $path"; return 0; fi
  printf '%s none swap sw 0 0\n' "$path" >> "$fstab" || fail "cannot add $path to $fstab"
  say "added '$path none swap sw 0 0' to $fstab"
}
given=$path
resolve_path || fail "directory ${path%/*} does not exist"
[ "$path" = "$given" ] || say "$given is $path (symlinks in its directory resolved)"
lock_take creating
check_path || fail "$why; nothing was changed"
if first_field_in /proc/swaps "$path"; then
  say "$path is already active swap: nothing to do"
  persist_it
  result "already-active"; exit 0
fi
[ "$size_mb" -gt 0 ] || fail "$path is no longer active swap (it was when planned): plan again"
if [ -e "$path" ]; then
  cur=$(stat -c %s -- "$path") || fail "cannot stat $path"
  if has_swap_signature && [ "$cur" -eq $((size_mb * 1048576)) ]; then
    say "reusing the inactive swap file $path"
    chmod 600 "$path"
    err=$(swapon "$path" 2>&1) || fail "swapon $path failed: $err"
    first_field_in /proc/swaps "$path" || fail "$path is not in /proc/swaps after swapon"
    persist_it
    result "reused"; exit 0
  fi
  fail "$path already exists and is not an inactive swap file of ${size_mb} MiB: remove it or choose another path"
fi
# the disk reserve, again now: the disk may have filled since the plan
df -Pk "$dir" > "$state/df" || fail "df $dir failed"
{ read -r _; read -r _ fs_kb _ avail_kb _; } < "$state/df"
case $fs_kb$avail_kb in ''|*[!0-9]*) fail "cannot read the free space of $dir from df" ;; esac
reserve_now=$reserve_kb
[ $((fs_kb / 10)) -le "$reserve_now" ] || reserve_now=$((fs_kb / 10))
[ 5242880 -le "$reserve_now" ] || reserve_now=5242880
if [ $((avail_kb - size_mb * 1024)) -lt "$reserve_now" ]; then
  fail "only $((avail_kb / 1024)) MiB free on $dir now (the plan saw $((planned_avail_kb / 1024)) MiB): a ${size_mb} MiB swap file would leave less than the $((reserve_now / 1024)) MiB the disk keeps free; nothing was created"
fi
made=1
progress fallocate 0
say "fallocate -l ${size_mb}M $path"
if ! fallocate -l "${size_mb}M" "$path" 2>/dev/null; then
  say "fallocate is not supported here; writing zeros with dd"
  write_zeros || fail "dd could not write $path"
fi
relay_here
chmod 600 "$path" || fail "chmod 600 $path failed"
progress mkswap "$((size_mb * 1048576))"
say "mkswap $path"
err=$(mkswap "$path" 2>&1) || fail "mkswap $path failed: $err"
relay_here
progress swapon "$((size_mb * 1048576))"
say "swapon $path"
if ! err=$(swapon "$path" 2>&1); then
  case $err in
    *holes*|*"Invalid argument"*)
      say "swapon refused the fallocated file ($err); rewriting it with dd"
      write_zeros || fail "dd could not write $path"
      chmod 600 "$path"
      relay_here
      err=$(mkswap "$path" 2>&1) || fail "mkswap $path failed: $err"
      err=$(swapon "$path" 2>&1) || fail "swapon $path failed: $err" ;;
    *) fail "swapon $path failed: $err" ;;
  esac
fi
first_field_in /proc/swaps "$path" || fail "$path is not in /proc/swaps after swapon"
persist_it
made=0
result "active"
exit 0
