# shellcheck shell=sh
# colabtop: turns a swap area off and removes it: only an active swap area (a file, or a
# partition, which is never removed) or an inactive file that carries the swap signature;
# anything else is refused before anything changes. The fstab lines removed are swap lines for
# this path. Comes after prelude.sh, procs.sh, swap-common.sh and its header.
: "${path:?}" "${fstab:?}" "${lock:?}"
trap unlock EXIT
trap 'exit 1' INT TERM HUP
given=$path
lock_take removing
active=0
kind=none
if resolve_path; then
  [ "$path" = "$given" ] || say "$given is $path (symlinks in its directory resolved)"
  first_field_in /proc/swaps "$path" && active=1
  if [ "$active" = 1 ] && [ -b "$path" ] && [ ! -L "$path" ]; then
    kind=device
  elif [ -e "$path" ] || [ -L "$path" ]; then
    check_path || fail "$why; nothing was changed"
    if [ "$active" = 0 ] && ! has_swap_signature; then
      fail "$path is neither an active swap area nor a swap file (no SWAPSPACE2 at byte $((pagesize - 10))): refusing to remove it; nothing was changed"
    fi
    kind=swapfile
  fi
fi
if [ "$active" = 1 ]; then
  say "swapoff $path"
  err=$(swapoff "$path" 2>&1) || fail "swapoff $path failed (is there enough free RAM to take its pages back?): $err"
fi
if [ "$kind" = swapfile ]; then say "rm $path"; rm -f -- "$path" || fail "cannot remove $path"; fi
[ "$kind" = none ] && say "there is no $path"
# a swap line of this path: first field the path, third field swap
swap_line() {
  set -f
  # shellcheck disable=SC2086 # the line is split into its fields on purpose (no globbing: set -f)
  set -- $1
  set +f
  [ "${3-}" = swap ] && { [ "${1-}" = "$path" ] || [ "${1-}" = "$given" ]; }
}
has_line=0
if [ -f "$fstab" ]; then
  while IFS= read -r line || [ -n "$line" ]; do swap_line "$line" && has_line=1; done < "$fstab"
fi
if [ "$has_line" = 1 ]; then
  tmp="$fstab.colabtop.$$"
  while IFS= read -r line || [ -n "$line" ]; do
    swap_line "$line" || printf '%s\n' "$line"
  done < "$fstab" > "$tmp" || { rm -f -- "$tmp"; fail "cannot write $tmp"; }
  cat "$tmp" > "$fstab" || { rm -f -- "$tmp"; fail "cannot rewrite $fstab"; }
  rm -f -- "$tmp"
  say "removed $path from $fstab"
fi
first_field_in /proc/swaps "$path" && fail "$path is still active"
result "off"
