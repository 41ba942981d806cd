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
 * (other lines are ignored: the swap relay prints an empty line as a heartbeat) and undoes its
 * own work when it fails half-way (a partial swap file is removed, also when colabtop or its
 * connection goes away mid-way; pinning restores the values it changed), so a failed action
 * leaves the host as it was.
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

    /**
     * The host-wide lock every swap action takes (a directory: {@code mkdir} is atomic in plain
     * POSIX sh). It holds one line, {@code PID START SINCE DOING PATH}, e.g.
     * {@code 4242 8123456 1718000000 creating /swapfile}: START is field 22 of /proc/PID/stat, so a
     * holder that died (or whose pid was reused) is told from a live one and its lock taken over.
     * In /run: root's alone, and gone after a reboot.
     */
    public static final String SWAP_LOCK = "/run/colabtop-swap.lock";

    /** Processes told apart by pid and start time, so a dead process's reused pid never counts as it. */
    static final String SWAP_PROCS = """
            nap() { sleep 0.1 2>/dev/null || sleep 1; }
            # field 22 of /proc/PID/stat (start time in ticks), e.g. "4242 (my job) S 1 ... 8123456 ...";
            # the comm field may hold spaces and ')', so fields are counted after its last ')'
            start_of() { read -r l 2>/dev/null < "/proc/$1/stat" || return 1; l=${l##*) }; set -- $l; echo "${20}"; }
            # true while process $1 that started at $2 runs: not gone, not a zombie, not a reused pid
            alive() {
              read -r l 2>/dev/null < "/proc/$1/stat" || return 1
              l=${l##*) }; set -- "$2" $l
              [ "$2" != Z ] && [ "$2" != X ] && [ "${21}" = "$1" ]
            }
            """;

    /** Shell functions the swap scripts share: the lock, where the file really is, the refusals, the swap signature. */
    static final String SWAP_COMMON = SWAP_PROCS + """
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
              if ! { printf '%s %s %s %s %s\\n' "$$" "$me" "$(date +%s)" "$doing" "$path" > "$lock/owner.$$" \\
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
            """;

    /**
     * Reads what the swap plan needs: RAM, the file system under the path's directory, active swaps,
     * and (advisory: the swap script checks again when it runs) why the path would be refused.
     */
    public static String swapPreflight(String path) {
        return PRELUDE + SWAP_COMMON + "path=" + ShellQuote.quote(InputRules.path("swap path", path)) + "\n" + """
                given=$path
                resolve_path || fail "directory ${path%/*} does not exist on this host"
                [ "$path" = "$given" ] || result "real_path=$path"
                while read -r k v _; do [ "$k" = MemTotal: ] && result "memtotal_kb=$v"; done < /proc/meminfo
                df -Pk "$dir" | { read -r _; read -r _ blocks _ avail _; result "fs_kb=$blocks"; result "avail_kb=$avail"; }
                if first_field_in /proc/swaps "$path"; then result "active=1"; else result "active=0"; fi
                check_path || result "refuse=$why"
                if [ -f "$path" ] && [ ! -L "$path" ]; then result "exists_bytes=$(stat -c %s -- "$path")"; fi
                """;
    }

    /**
     * Creates and enables a swap file. The work runs in a worker detached from the SSH session (a
     * child of no one here, its own session), under the host-wide {@link #SWAP_LOCK}; this script
     * only relays its report. The worker watches this script: when it goes away before the swap
     * is active (the connection dropped, colabtop was killed or timed out, so the next heartbeat
     * write killed this shell) the worker stops dd and removes the partial file. Before creating
     * anything it checks again, on the host, the path (see check_path) and that the disk keeps
     * its reserve.
     *
     * @param sizeBytes         the file's size; 0 when the plan found the path already active (then
     *                          nothing is created if it no longer is)
     * @param reserveBytes      free space the plan promised to leave (max(10%, 5 GiB), see
     *                          {@link SwapSizing#reserve}); the script keeps the larger of it and the
     *                          reserve of the file system as it is then
     * @param plannedAvailBytes free space the plan saw, for the message when it has shrunk
     */
    public static String swapOn(String path, long sizeBytes, boolean persist, String fstab, long reserveBytes,
                                long plannedAvailBytes) {
        long mib = sizeBytes >> 20;
        if (sizeBytes != 0 && mib < 1) {
            throw new IllegalArgumentException("swap size under 1 MiB");
        }
        if (reserveBytes < 0 || plannedAvailBytes < 0) {
            throw new IllegalArgumentException("negative disk figures");
        }
        String worker = PRELUDE + SWAP_COMMON + "path=" + ShellQuote.quote(InputRules.path("swap path", path))
                + "\nsize_mb=" + mib + "\npersist=" + (persist ? 1 : 0)
                + "\nfstab=" + ShellQuote.quote(InputRules.path("fstab", fstab))
                + "\nreserve_kb=" + (reserveBytes >> 10) + "\nplanned_avail_kb=" + (plannedAvailBytes >> 10)
                + "\nlock=" + ShellQuote.quote(SWAP_LOCK) + "\n" + SWAP_WORKER;
        return PRELUDE + SWAP_PROCS + "worker=" + ShellQuote.quote(worker) + "\n" + SWAP_RELAY;
    }

    /** The relay: starts the worker detached, heartbeats to colabtop, prints the worker's report. */
    private static final String SWAP_RELAY = """
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
              # A line colabtop ignores. Writing it kills this shell (SIGPIPE) once colabtop is gone: the
              # connection dropped, colabtop was killed or gave up. The worker sees this shell go and undoes.
              printf '\\n' || exit 1
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
            """;

    /** The worker: $1 state directory, $2 and $3 pid and start time of the relay it reports to. */
    private static final String SWAP_WORKER = """
            state=$1; relay=$2; relay_start=$3
            umask 077
            printf '%s %s\\n' "$$" "$(start_of $$)" > "$state/pid.tmp" && mv -f -- "$state/pid.tmp" "$state/pid"
            made=0
            child=
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
                printf '%s\\n' "$rc" > "$state/rc.tmp" && mv -f -- "$state/rc.tmp" "$state/rc"
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
            # zeros with dd, in the background so the relay is watched while it writes
            write_zeros() {
              rm -f -- "$path"
              dd if=/dev/zero of="$path" bs=1M count="$size_mb" status=none &
              child=$!
              while running "$child"; do relay_here; nap; done
              wait "$child"; st=$?; child=
              return "$st"
            }
            persist_it() {
              [ "$persist" = 1 ] || return 0
              if first_field_in "$fstab" "$path"; then say "$fstab already has $path"; return 0; fi
              printf '%s none swap sw 0 0\\n' "$path" >> "$fstab" || fail "cannot add $path to $fstab"
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
            say "fallocate -l ${size_mb}M $path"
            if ! fallocate -l "${size_mb}M" "$path" 2>/dev/null; then
              say "fallocate is not supported here; writing zeros with dd"
              write_zeros || fail "dd could not write $path"
            fi
            relay_here
            chmod 600 "$path" || fail "chmod 600 $path failed"
            say "mkswap $path"
            err=$(mkswap "$path" 2>&1) || fail "mkswap $path failed: $err"
            relay_here
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
            """;

    /**
     * Turns a swap area off and removes it: only an active swap area (a file, or a partition,
     * which is never removed) or an inactive file that carries the swap signature; anything else is
     * refused before anything changes. The fstab lines removed are swap lines for this path.
     */
    public static String swapOff(String path, String fstab) {
        return PRELUDE + SWAP_COMMON + "path=" + ShellQuote.quote(InputRules.path("swap path", path)) + "\nfstab="
                + ShellQuote.quote(InputRules.path("fstab", fstab)) + "\nlock=" + ShellQuote.quote(SWAP_LOCK) + "\n" + """
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
                  set -f; set -- $1; set +f
                  [ "${3-}" = swap ] && { [ "${1-}" = "$path" ] || [ "${1-}" = "$given" ]; }
                }
                has_line=0
                if [ -f "$fstab" ]; then
                  while IFS= read -r line || [ -n "$line" ]; do swap_line "$line" && has_line=1; done < "$fstab"
                fi
                if [ "$has_line" = 1 ]; then
                  tmp="$fstab.colabtop.$$"
                  while IFS= read -r line || [ -n "$line" ]; do
                    swap_line "$line" || printf '%s\\n' "$line"
                  done < "$fstab" > "$tmp" || { rm -f -- "$tmp"; fail "cannot write $tmp"; }
                  cat "$tmp" > "$fstab" || { rm -f -- "$tmp"; fail "cannot rewrite $fstab"; }
                  rm -f -- "$tmp"
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
                  read -r line 2>/dev/null < "/proc/$pid/stat" || fail "process $pid has exited"
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
                      read -r line 2>/dev/null < "$d/stat" || continue
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
                    read -r old 2>/dev/null < "/proc/$p/oom_score_adj" || continue
                    [ "$adj" -lt "$old" ] && fail "lowering oom_score_adj of pid $p from $old to $adj needs CAP_SYS_RESOURCE, which this root lacks (a container?); nothing was changed"
                  done
                fi
                done_list=""
                undo() { for u in $done_list; do printf '%s\\n' "${u#*=}" > "/proc/${u%%=*}/oom_score_adj" 2>/dev/null; done; }
                for p in $list; do
                  read -r old 2>/dev/null < "/proc/$p/oom_score_adj" || { say "process $p exited meanwhile"; continue; }
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

    /**
     * Lists every process's pid, start time and parent, and its command line, for --match (the
     * regex runs in colabtop, not on the host); {@code self} is this script's own pid, so colabtop
     * can leave out the listing itself, the sudo/sh wrappers above it and its sed:
     * <pre>
     * colabtop-result: self 5120
     * colabtop-result: proc 4242 8123456 1
     * </pre>
     */
    public static String processListing() {
        return PRELUDE + """
                result "self $$"
                for d in /proc/[0-9]*; do
                  read -r line 2>/dev/null < "$d/stat" || continue
                  rest=${line##*) }; set -- $rest
                  result "proc ${d#/proc/} ${20} $2"
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
                mounted() { while read -r _ m _; do [ "$m" = "$mp" ] && return 0; done < /proc/mounts; return 1; }
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
