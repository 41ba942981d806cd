# shellcheck shell=sh
# colabtop's probe. POSIX sh (dash, bash) with GNU sed (Debian/Ubuntu, no busybox). Runs once per
# connection (over SSH, or as a child of colabtop for the local machine) and answers one framed
# snapshot per request line read from stdin, so a tick costs the host ~8 forks and no login-shell
# rc files. Sent as written (see RemoteScript): started as `/bin/sh -c SCRIPT colabtop-probe N`.
# Files are read with `LC_ALL=C sed -n 'F;s/^/|/;l 0'`, which prints, for every line, the file
# name and then the line escaped (\ooo, \t, \\) and ended by `$`: exact bytes (NULs of cmdline
# too) in plain ASCII, in one process for many files (one od per cmdline, and dash's
# byte-at-a-time read builtin, cost ~35 ms a tick before).
# Request: "SEQ" or "SEQ p" (p: also send /etc/passwd). Frame: "@@ct:begin SEQ" ... "@@ct:end SEQ".
# Sections start with "@@ct:NAME"; data lines never start with "@@ct:": every byte a process or a
# driver chose (command lines, names, nvidia-smi output) goes through sed l, so no newline or
# marker-shaped text of theirs can end a section or forge another. Frames are bounded here too:
# each line of a command line is cut at 4096 bytes and only its first 4 lines are read (a 2 MB
# argv, or one of 2 MB of newlines, costs the frame 16 KiB a process at most).
# $1: how many processes to detail, the top ones by oom_score.
#
# The whole probe is one function, so sh parses all of it before anything runs (sh runs a script
# command by command): a syntax error anywhere means no hello, and colabtop says the probe did
# not start, with sh's message, instead of reading frames that lack a section.
probe() {
  exec 2>/dev/null
  top=${1:-20}
  case $top in *[!0-9]*|"") top=20 ;; esac
  to=
  command -v timeout >/dev/null && to="timeout 5"
  smi=
  command -v nvidia-smi >/dev/null && smi=1
  kernel=
  read -r kernel < /proc/sys/kernel/osrelease
  os=
  while IFS='=' read -r k v; do
    if [ "$k" = PRETTY_NAME ]; then os=$v; fi
  done < /etc/os-release
  printf '@@ct:hello colabtop-probe 1\n'
  while read -r seq flags; do
    case $seq in *[!0-9]*|"") exit 0 ;; esac
    printf '@@ct:begin %s\n' "$seq"
    printf '@@ct:kernel\n%s %s\n' "$os" "$kernel"
    printf '@@ct:files\n'
    LC_ALL=C sed -n 'F;s/^/|/;l 0' /proc/meminfo /proc/swaps /proc/pressure/memory < /dev/null
    printf '@@ct:mounts\n'
    LC_ALL=C sed -n '/ fuse[.]/{F;s/^/|/;l 0}' /proc/mounts < /dev/null
    printf '@@ct:stat\n'
    LC_ALL=C sed -n '/^cpu/!q;F;s/^/|/;l 0' /proc/stat < /dev/null
    case $flags in *p*) printf '@@ct:passwd\n'; LC_ALL=C sed -n 'F;s/^/|/;l 0' /etc/passwd < /dev/null ;; esac
    # "oom_score rss_pages pid" for every process, next victim first
    ranked=$(for d in /proc/[0-9]*; do
      read -r s < "$d/oom_score" || continue
      read -r _ r _ < "$d/statm" || continue
      printf '%s %s %s\n' "$s" "$r" "${d#/proc/}"
    done | sort -k1,1nr -k2,2nr | head -n "$top")
    printf '@@ct:rank\n%s\n' "$ranked"
    files=
    sfiles=
    i=0
    for w in $ranked; do
      i=$((i + 1))
      if [ $((i % 3)) -eq 0 ]; then
        files="$files /proc/$w/stat /proc/$w/oom_score /proc/$w/oom_score_adj /proc/$w/cmdline"
        sfiles="$sfiles /proc/$w/status"
      fi
    done
    # $files and $sfiles are lists of /proc paths, split into arguments on purpose
    printf '@@ct:procfiles\n'
    # shellcheck disable=SC2086
    if [ -n "$files" ]; then LC_ALL=C sed -s -n '1,4{s/./&\n/4096;s/\n.*//;F;s/^/|/;l 0}' $files < /dev/null; fi
    printf '@@ct:procstatus\n'
    # shellcheck disable=SC2086
    if [ -n "$sfiles" ]; then
      LC_ALL=C sed -n '/^Name:/{F;s/^/|/;l 0};/^Uid:/{F;s/^/|/;l 0};/^VmRSS:/{F;s/^/|/;l 0}' $sfiles < /dev/null
    fi
    if [ -n "$smi" ]; then
      # $to is "timeout 5" or nothing: split into a command on purpose
      # shellcheck disable=SC2086
      out=$($to nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used,memory.free,utilization.gpu --format=csv,noheader,nounits 2>&1)
      rc=$?
      printf '@@ct:gpu\n'
      printf '%s\n' "$out" | LC_ALL=C sed -n '1,64{s/./&\n/1024;s/\n.*//;s/^/|/;l 0}'
      printf '@@ct:gpu-rc %s\n' "$rc"
      printf '@@ct:gpuapps\n'
      # shellcheck disable=SC2086
      $to nvidia-smi --query-compute-apps=gpu_uuid,pid,process_name,used_gpu_memory --format=csv,noheader,nounits | LC_ALL=C sed -n '1,256{s/./&\n/1024;s/\n.*//;s/^/|/;l 0}'
    fi
    printf '@@ct:end %s\n' "$seq"
  done
}
probe "$@"
