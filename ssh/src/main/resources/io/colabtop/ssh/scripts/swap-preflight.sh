# shellcheck shell=sh
# colabtop: reads what the swap plan needs: RAM, the file system under the path's directory,
# active swaps, and (advisory: swap-worker.sh checks again when it runs) why the path would be
# refused. Reports e.g. "colabtop-result: memtotal_kb=16380000". Also whether systemd-oomd runs and
# how many cgroups it watches for swap (oomd_swap_paths=1, oomd_swap_limit=90.00): its swap rule,
# inert without swap, is armed by the new swap file. Comes after prelude.sh, procs.sh,
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
if command -v systemctl >/dev/null 2>&1 && [ "$(systemctl is-active systemd-oomd 2>/dev/null)" = active ]; then
  result "oomd=active"
  if command -v oomctl >/dev/null 2>&1; then
    # "Swap Used Limit: 90.00%", then one "Path: /" per cgroup under "Swap Monitored CGroups:"
    oomctl --no-pager dump 2>/dev/null < /dev/null | {
      n=0; in_swap=0; limit=
      while IFS= read -r l; do
        case $l in
          "Swap Used Limit: "*) limit=${l#Swap Used Limit: }; limit=${limit%%%*} ;;
          "Swap Monitored CGroups:"*) in_swap=1 ;;
          "Memory Pressure Monitored CGroups:"*) in_swap=0 ;;
          *Path:*) [ "$in_swap" = 1 ] && n=$((n + 1)) ;;
        esac
      done
      case $limit in ''|*[!0-9.]*) limit=90 ;; esac
      result "oomd_swap_paths=$n"
      result "oomd_swap_limit=$limit"
    }
  fi
fi
