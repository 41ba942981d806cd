package io.colabtop.core.action;

import java.util.List;
import java.util.StringJoiner;

/**
 * The POSIX sh scripts the rescue actions run on a host (fed to {@code sh -s} on stdin, as root
 * or through {@code sudo -n}). Values arrive validated by {@link InputRules} and quoted by
 * {@link ShellQuote}. Every script reports on stdout with three kinds of line:
 * <pre>
 * colabtop-step: fallocate -l 16384M /swapfile
 * colabtop-result: active
 * colabtop-error: swapon /swapfile failed: Invalid argument
 * </pre>
 * and undoes its own work when it fails half-way (a trap removes a partial swap file; pinning
 * restores the values it changed), so a failed action leaves the host as it was.
 */
public final class ActionScripts {
    private ActionScripts() {
    }

    static final String PRELUDE = """
            set -u
            PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin
            export LC_ALL=C
            say() { printf 'colabtop-step: %s\\n' "$*"; }
            fail() { printf 'colabtop-error: %s\\n' "$*"; exit 1; }
            result() { printf 'colabtop-result: %s\\n' "$*"; }
            # first field of a line in a file equals $2 (exact: no regex, paths may hold dots)
            first_field_in() { while read -r f rest; do [ "$f" = "$2" ] && return 0; done < "$1"; return 1; }
            """;

    /** Reads what the swap plan needs: RAM, the file system under the path's directory, active swaps. */
    public static String swapPreflight(String path) {
        return PRELUDE + "path=" + ShellQuote.quote(InputRules.path("swap path", path)) + "\n" + """
                dir=${path%/*}; [ -n "$dir" ] || dir=/
                [ -d "$dir" ] || fail "directory $dir does not exist on this host"
                while read -r k v u; do [ "$k" = MemTotal: ] && result "memtotal_kb=$v"; done < /proc/meminfo
                df -Pk "$dir" | { read -r h; read -r fs blocks used avail rest; result "fs_kb=$blocks"; result "avail_kb=$avail"; }
                if first_field_in /proc/swaps "$path"; then result "active=1"; else result "active=0"; fi
                if [ -e "$path" ]; then result "exists_bytes=$(stat -c %s "$path")"; fi
                """;
    }

    public static String swapOn(String path, long sizeBytes, boolean persist, String fstab) {
        long mib = sizeBytes >> 20;
        if (mib < 1) {
            throw new IllegalArgumentException("swap size under 1 MiB");
        }
        return PRELUDE + "path=" + ShellQuote.quote(InputRules.path("swap path", path)) + "\nsize_mb=" + mib
                + "\npersist=" + (persist ? 1 : 0) + "\nfstab=" + ShellQuote.quote(InputRules.path("fstab", fstab)) + "\n" + """
                persist_it() {
                  [ "$persist" = 1 ] || return 0
                  if first_field_in "$fstab" "$path"; then say "$fstab already has $path"; return 0; fi
                  printf '%s none swap sw 0 0\\n' "$path" >> "$fstab" || fail "cannot add $path to $fstab"
                  say "added '$path none swap sw 0 0' to $fstab"
                }
                if first_field_in /proc/swaps "$path"; then
                  say "$path is already active swap: nothing to do"
                  persist_it
                  result "already-active"; exit 0
                fi
                dir=${path%/*}; [ -n "$dir" ] || dir=/
                [ -d "$dir" ] || fail "directory $dir does not exist"
                made=0
                cleanup() { if [ "$made" = 1 ]; then swapoff "$path" 2>/dev/null; rm -f "$path"; say "removed the partial $path"; fi; }
                trap cleanup EXIT
                trap 'exit 1' INT TERM HUP
                if [ -e "$path" ]; then
                  cur=$(stat -c %s "$path") || fail "cannot stat $path"
                  sig=$(dd if="$path" bs=1 skip=4086 count=10 2>/dev/null)
                  if [ "$sig" = SWAPSPACE2 ] && [ "$cur" -eq $((size_mb * 1048576)) ]; then
                    say "reusing the inactive swap file $path"
                    chmod 600 "$path"
                    err=$(swapon "$path" 2>&1) || fail "swapon $path failed: $err"
                    first_field_in /proc/swaps "$path" || fail "$path is not in /proc/swaps after swapon"
                    persist_it
                    result "reused"; exit 0
                  fi
                  fail "$path already exists and is not an inactive swap file of ${size_mb} MiB: remove it or choose another path"
                fi
                avail_kb=$(df -Pk "$dir" | { read -r h; read -r fs blocks used avail rest; echo "$avail"; })
                [ "$avail_kb" -gt $((size_mb * 1024)) ] || fail "only $avail_kb KiB free in $dir, ${size_mb} MiB needed"
                made=1
                say "fallocate -l ${size_mb}M $path"
                if ! fallocate -l "${size_mb}M" "$path" 2>/dev/null; then
                  say "fallocate is not supported here; writing zeros with dd"
                  dd if=/dev/zero of="$path" bs=1M count="$size_mb" status=none || fail "dd could not write $path"
                fi
                chmod 600 "$path" || fail "chmod 600 $path failed"
                say "mkswap $path"
                err=$(mkswap "$path" 2>&1) || fail "mkswap $path failed: $err"
                say "swapon $path"
                if ! err=$(swapon "$path" 2>&1); then
                  case $err in
                    *holes*|*"Invalid argument"*)
                      say "swapon refused the fallocated file ($err); rewriting it with dd"
                      rm -f "$path"
                      dd if=/dev/zero of="$path" bs=1M count="$size_mb" status=none || fail "dd could not write $path"
                      chmod 600 "$path"
                      err=$(mkswap "$path" 2>&1) || fail "mkswap $path failed: $err"
                      err=$(swapon "$path" 2>&1) || fail "swapon $path failed: $err" ;;
                    *) fail "swapon $path failed: $err" ;;
                  esac
                fi
                first_field_in /proc/swaps "$path" || fail "$path is not in /proc/swaps after swapon"
                persist_it
                made=0
                result "active"
                """;
    }

    public static String swapOff(String path, String fstab) {
        return PRELUDE + "path=" + ShellQuote.quote(InputRules.path("swap path", path)) + "\nfstab="
                + ShellQuote.quote(InputRules.path("fstab", fstab)) + "\n" + """
                if first_field_in /proc/swaps "$path"; then
                  say "swapoff $path"
                  err=$(swapoff "$path" 2>&1) || fail "swapoff $path failed (is there enough free RAM to take its pages back?): $err"
                fi
                if [ -e "$path" ]; then say "rm $path"; rm -f "$path" || fail "cannot remove $path"; fi
                if [ -f "$fstab" ] && first_field_in "$fstab" "$path"; then
                  tmp="$fstab.colabtop.$$"
                  while IFS= read -r line || [ -n "$line" ]; do
                    first=${line%%[ 	]*}
                    [ "$first" = "$path" ] || printf '%s\\n' "$line"
                  done < "$fstab" > "$tmp" || fail "cannot write $tmp"
                  cat "$tmp" > "$fstab" || { rm -f "$tmp"; fail "cannot rewrite $fstab"; }
                  rm -f "$tmp"
                  say "removed $path from $fstab"
                fi
                first_field_in /proc/swaps "$path" && fail "$path is still active"
                result "off"
                """;
    }

    /** A process the user saw, identified by pid and start time so a reused pid is not pinned. */
    public record PinTarget(int pid, long startTimeTicks) {
    }

    public static String pin(List<PinTarget> targets, int adj, boolean tree) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no process to pin");
        }
        StringJoiner t = new StringJoiner(" ");
        targets.forEach(p -> t.add(p.pid() + ":" + p.startTimeTicks()));
        return PRELUDE + "adj=" + InputRules.oomScoreAdj(adj) + "\ntree=" + (tree ? 1 : 0) + "\ntargets="
                + ShellQuote.quote(t.toString()) + "\n" + """
                list=" "
                for t in $targets; do
                  pid=${t%%:*}; want=${t#*:}
                  read -r line < "/proc/$pid/stat" 2>/dev/null || fail "process $pid has exited"
                  rest=${line##*) }
                  set -- $rest
                  [ "${20}" = "$want" ] || fail "pid $pid is now a different process (started at ${20}, expected $want): refusing"
                  list="$list$pid "
                done
                if [ "$tree" = 1 ]; then
                  changed=1
                  while [ "$changed" = 1 ]; do
                    changed=0
                    for d in /proc/[0-9]*; do
                      read -r line < "$d/stat" 2>/dev/null || continue
                      rest=${line##*) }; set -- $rest; p=${d#/proc/}
                      case "$list" in *" $2 "*) case "$list" in *" $p "*) ;; *) list="$list$p "; changed=1 ;; esac ;; esac
                    done
                  done
                fi
                # lowering oom_score_adj below its current value needs CAP_SYS_RESOURCE (bit 24 of
                # CapEff); root in a container may lack it. Check first: nothing half-done.
                capeff=0
                while read -r k v; do [ "$k" = CapEff: ] && capeff=$v; done < /proc/self/status
                if [ $(( 0x$capeff >> 24 & 1 )) = 0 ]; then
                  for p in $list; do
                    read -r old < "/proc/$p/oom_score_adj" 2>/dev/null || continue
                    [ "$adj" -lt "$old" ] && fail "lowering oom_score_adj of pid $p from $old to $adj needs CAP_SYS_RESOURCE, which this root lacks (a container?); nothing was changed"
                  done
                fi
                done_list=""
                undo() { for u in $done_list; do printf '%s\\n' "${u#*=}" > "/proc/${u%%=*}/oom_score_adj" 2>/dev/null; done; }
                for p in $list; do
                  read -r old < "/proc/$p/oom_score_adj" 2>/dev/null || { say "process $p exited meanwhile"; continue; }
                  if ! err=$( { printf '%s\\n' "$adj" > "/proc/$p/oom_score_adj"; } 2>&1 ); then
                    undo
                    fail "the kernel refused oom_score_adj=$adj for pid $p ($err); nothing was changed"
                  fi
                  done_list="$done_list $p=$old"
                  read -r got < "/proc/$p/oom_score_adj"
                  [ "$got" = "$adj" ] || { undo; fail "pid $p reads oom_score_adj=$got after writing $adj; nothing was changed"; }
                  result "pinned $p $old $got"
                done
                if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet systemd-oomd 2>/dev/null; then
                  result "oomd active"
                  if command -v oomctl >/dev/null 2>&1; then
                    oomctl 2>/dev/null | while IFS= read -r l; do case $l in *Path:*|*Limit*|*Pressure*) result "oomd $l" ;; esac; done
                  fi
                fi
                """;
    }

    /** Lists every process's start time and command line, for --match (the regex runs in colabtop, not on the host). */
    public static String processListing() {
        return PRELUDE + """
                for d in /proc/[0-9]*; do
                  read -r line < "$d/stat" 2>/dev/null || continue
                  rest=${line##*) }; set -- $rest
                  result "proc ${d#/proc/} ${20}"
                done
                LC_ALL=C sed -n "F;s/^/|/;l 0" /proc/[0-9]*/cmdline < /dev/null 2>/dev/null
                # sed exits 2 when a process exited between the glob and its read: expected churn
                exit 0
                """;
    }

    public static String mount(String bucket, String mountPoint, List<String> options, boolean implicitDirs) {
        StringJoiner opts = new StringJoiner(" ");
        if (implicitDirs) {
            opts.add("--implicit-dirs");
        }
        for (String o : options) {
            opts.add("-o " + ShellQuote.quote(InputRules.mountOption(o)));
        }
        return PRELUDE + "bucket=" + ShellQuote.quote(InputRules.bucket(bucket)) + "\nmp="
                + ShellQuote.quote(InputRules.path("mount point", mountPoint)) + "\n" + """
                mounted_dev() { while read -r dev m type rest; do [ "$m" = "$mp" ] && { echo "$dev $type"; return 0; }; done < /proc/mounts; return 1; }
                command -v gcsfuse >/dev/null 2>&1 || { result "missing gcsfuse"; fail "gcsfuse is not installed on this host"; }
                if cur=$(mounted_dev); then
                  case $cur in "$bucket "*) say "$bucket is already mounted at $mp"; result "already-mounted"; exit 0 ;; esac
                  fail "$mp is already a mount point ($cur)"
                fi
                say "mkdir -p $mp"
                mkdir -p "$mp" || fail "cannot create $mp"
                """ + "say \"gcsfuse " + opts.toString().replace("'", "") + " $bucket $mp\"\n"
                + "out=$(gcsfuse " + opts + " \"$bucket\" \"$mp\" 2>&1) || fail \"gcsfuse failed: $out\"\n" + """
                cur=$(mounted_dev) || fail "gcsfuse exited but nothing is mounted at $mp: $out"
                case $cur in *" fuse"*) ;; *) fail "$mp is mounted but not by FUSE ($cur)" ;; esac
                result "mounted $cur"
                """;
    }

    public static String umount(String mountPoint) {
        return PRELUDE + "mp=" + ShellQuote.quote(InputRules.path("mount point", mountPoint)) + "\n" + """
                mounted() { while read -r dev m rest; do [ "$m" = "$mp" ] && return 0; done < /proc/mounts; return 1; }
                mounted || { say "nothing is mounted at $mp"; result "not-mounted"; exit 0; }
                say "fusermount -u $mp"
                if command -v fusermount3 >/dev/null 2>&1; then err=$(fusermount3 -u "$mp" 2>&1)
                elif command -v fusermount >/dev/null 2>&1; then err=$(fusermount -u "$mp" 2>&1)
                else err=$(umount "$mp" 2>&1); fi
                mounted && fail "$mp is still mounted (busy? a process may have files open there): $err"
                result "unmounted"
                """;
    }

    /** FUSE mounts (gcsfuse shows as fuse.gcsfuse), for the host view. */
    public static String listMounts() {
        return PRELUDE + """
                while read -r dev m type rest; do case $type in fuse.*) result "mount $dev $m $type" ;; esac; done < /proc/mounts
                """;
    }
}
