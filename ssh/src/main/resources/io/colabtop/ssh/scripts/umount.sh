# shellcheck shell=sh
# colabtop: unmounts the FUSE mount at $mp (fusermount3, fusermount, else umount) and checks
# /proc/mounts that it is gone. Comes after prelude.sh and its header.
: "${mp:?}"
mounted() { while read -r _ m _; do [ "$m" = "$mp" ] && return 0; done < /proc/mounts; return 1; }
mounted || { say "nothing is mounted at $mp"; result "not-mounted"; exit 0; }
say "fusermount -u $mp"
if command -v fusermount3 >/dev/null 2>&1; then err=$(fusermount3 -u "$mp" 2>&1)
elif command -v fusermount >/dev/null 2>&1; then err=$(fusermount -u "$mp" 2>&1)
else err=$(umount "$mp" 2>&1); fi
mounted && fail "$mp is still mounted (busy? a process may have files open there): $err"
result "unmounted"
