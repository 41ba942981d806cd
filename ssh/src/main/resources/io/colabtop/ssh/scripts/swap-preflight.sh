# shellcheck shell=sh
# colabtop: reads what the swap plan needs: RAM, the file system under the path's directory,
# active swaps, and (advisory: swap-worker.sh checks again when it runs) why the path would be
# refused. Reports e.g. "colabtop-result: memtotal_kb=16380000". Comes after prelude.sh, procs.sh,
# swap-common.sh and its header.
: "${path:?}"
given=$path
resolve_path || fail "directory ${path%/*} does not exist on this host"
[ "$path" = "$given" ] || result "real_path=$path"
while read -r k v _; do [ "$k" = MemTotal: ] && result "memtotal_kb=$v"; done < /proc/meminfo
df -Pk "$dir" | { read -r _; read -r _ blocks _ avail _; result "fs_kb=$blocks"; result "avail_kb=$avail"; }
if first_field_in /proc/swaps "$path"; then result "active=1"; else result "active=0"; fi
check_path || result "refuse=$why"
if [ -f "$path" ] && [ ! -L "$path" ]; then result "exists_bytes=$(stat -c %s -- "$path")"; fi
