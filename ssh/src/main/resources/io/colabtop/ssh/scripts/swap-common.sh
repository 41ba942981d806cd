# shellcheck shell=sh
# colabtop: what the swap scripts share: the host-wide lock, where the file really is, the
# refusals, the swap signature. Comes after prelude.sh and procs.sh. The functions use the
# header's $path (and $lock for the lock), and set $dir (resolve_path) and $why (check_path).
pagesize=$(getconf PAGESIZE 2>/dev/null) || pagesize=4096
case $pagesize in ''|*[!0-9]*) pagesize=4096 ;; esac
# true while our own child $1 has not exited (an exited child stays a zombie until waited)
running() { read -r l 2>/dev/null < "/proc/$1/stat" || return 1; l=${l##*) }; [ "${l%% *}" != Z ]; }
older_than() { t=$(stat -c %Y -- "$1" 2>/dev/null) || return 1; [ $(( $(date +%s) - t )) -gt "$2" ]; }
when() { date -d "@$1" '+%Y-%m-%d %H:%M:%S %Z' 2>/dev/null || echo "epoch $1"; }
locked=0
# $1: what this run does to $path (creating, removing). Refuses while a live colabtop holds the
# lock; takes over the lock of one that died, under a second lock so two takers cannot both win.
lock_take() {
  doing=$1
  [ -d "${lock%/*}" ] || lock=/tmp/colabtop-swap.lock
  me=$(start_of $$) || fail "cannot read /proc/$$/stat"
  tries=0
  until mkdir "$lock" 2>/dev/null; do
    if o=$(stat -c %u -- "$lock" 2>/dev/null); then
      [ "$o" = 0 ] || fail "the lock $lock is not root's (uid $o): remove it"
      owner=
      read -r owner 2>/dev/null < "$lock/owner"
      stale=0
      if [ -n "$owner" ]; then
        # shellcheck disable=SC2086 # the lock's line is split into its fields on purpose
        set -- $owner
        if [ $# -ge 5 ] && alive "$1" "$2"; then
          fail "another colabtop is $4 swap at $5 (pid $1 since $(when "$3")): wait for it, or stop that pid"
        fi
        stale=1
      elif older_than "$lock" 30; then
        stale=1
      fi
      if [ "$stale" = 1 ]; then
        if mkdir "$lock.takeover" 2>/dev/null; then
          now=
          read -r now 2>/dev/null < "$lock/owner"
          if [ "$now" = "$owner" ]; then
            rm -f -- "$lock/owner"
            rmdir -- "$lock" 2>/dev/null && say "took over the lock of a colabtop that is gone (${owner:-no owner})"
          fi
          rmdir -- "$lock.takeover"
        elif older_than "$lock.takeover" 30; then
          rmdir -- "$lock.takeover" 2>/dev/null
        fi
      fi
    fi
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || fail "cannot take the lock $lock"
    nap
  done
  if ! { printf '%s %s %s %s %s\n' "$$" "$me" "$(date +%s)" "$doing" "$path" > "$lock/owner.$$" \
      && mv -f -- "$lock/owner.$$" "$lock/owner"; }; then
    rm -rf -- "$lock"; fail "cannot write $lock/owner"
  fi
  locked=1
}
unlock() {
  [ "$locked" = 1 ] || return 0
  rm -f -- "$lock/owner"; rmdir -- "$lock" 2>/dev/null; locked=0
}
# The directory as the kernel sees it, symlinks resolved: /proc/swaps names that path, and the
# checks must judge the directories the kernel will really use.
resolve_path() {
  dir=${path%/*}; [ -n "$dir" ] || dir=/
  base=${path##*/}
  real=$(cd -P -- "$dir" 2>/dev/null && pwd -P) || return 1
  dir=$real
  if [ "$dir" = / ]; then path=/$base; else path=$dir/$base; fi
}
# Sets why and fails when root must not act on $path: a directory above it that is not root's
# or that group/others can write (they could swap the file for a link between a check and a
# use), a symlink, anything but a regular file, a file of another user. stat and test never
# open the path, so a FIFO cannot block this.
check_path() {
  why=
  d=$dir
  while :; do
    st=$(stat -c '%u %a' -- "$d" 2>/dev/null)
    # shellcheck disable=SC2086 # stat's two fields are split into $1 and $2 on purpose
    set -- $st
    if [ $# -ne 2 ]; then why="cannot stat the directory $d"; return 1; fi
    if [ "$1" != 0 ]; then why="the directory $d belongs to uid $1, not root: its owner could swap $path for a link"; return 1; fi
    if [ $((0$2 & 022)) -ne 0 ]; then why="the directory $d is writable by group or others (mode $2): another user could swap $path for a link"; return 1; fi
    [ "$d" = / ] && break
    d=${d%/*}; [ -n "$d" ] || d=/
  done
  if [ -L "$path" ]; then why="$path is a symbolic link: refusing (root would act on whatever it points to)"; return 1; fi
  [ -e "$path" ] || return 0
  if [ ! -f "$path" ]; then why="$path is not a regular file (a FIFO, device or directory): refusing"; return 1; fi
  o=$(stat -c %u -- "$path") || { why="cannot stat $path"; return 1; }
  if [ "$o" != 0 ]; then why="$path belongs to uid $o, not root: refusing to use another user's file"; return 1; fi
}
# mkswap's signature: SWAPSPACE2 in the last 10 bytes of the first page. Opens only a regular file.
has_swap_signature() {
  [ -f "$path" ] && [ ! -L "$path" ] || return 1
  sz=$(stat -c %s -- "$path") || return 1
  [ "$sz" -ge "$pagesize" ] || return 1
  sig=$(dd if="$path" bs=1 skip=$((pagesize - 10)) count=10 2>/dev/null)
  [ "$sig" = SWAPSPACE2 ]
}
