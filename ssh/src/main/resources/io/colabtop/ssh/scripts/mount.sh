# shellcheck shell=sh
# colabtop: mounts the Cloud Storage bucket $bucket at $mp with gcsfuse and checks /proc/mounts
# for a FUSE mount there. $options: gcsfuse -o options separated by spaces (each one checked by
# colabtop: letters, digits and _ = , . : / -); implicit_dirs=1 adds --implicit-dirs.
# Comes after prelude.sh and its header.
: "${bucket:?}" "${mp:?}" "${implicit_dirs:?}" "${options?}"
mounted_dev() { while read -r dev m type _; do [ "$m" = "$mp" ] && { echo "$dev $type"; return 0; }; done < /proc/mounts; return 1; }
command -v gcsfuse >/dev/null 2>&1 || { result "missing gcsfuse"; fail "gcsfuse is not installed on this host"; }
if cur=$(mounted_dev); then
  case $cur in "$bucket "*) say "$bucket is already mounted at $mp"; result "already-mounted"; exit 0 ;; esac
  fail "$mp is already a mount point ($cur)"
fi
say "mkdir -p $mp"
mkdir -p "$mp" || fail "cannot create $mp"
# gcsfuse's arguments before the bucket: --implicit-dirs, then -o OPTION for each option
set -f
set --
[ "$implicit_dirs" = 1 ] && set -- --implicit-dirs
for o in $options; do set -- "$@" -o "$o"; done
set +f
say "gcsfuse $* $bucket $mp"
out=$(gcsfuse "$@" "$bucket" "$mp" 2>&1) || fail "gcsfuse failed: $out"
cur=$(mounted_dev) || fail "gcsfuse exited but nothing is mounted at $mp: $out"
case $cur in *" fuse"*) ;; *) fail "$mp is mounted but not by FUSE ($cur)" ;; esac
result "mounted $cur"
