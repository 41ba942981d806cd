# shellcheck shell=sh
# colabtop's probe. POSIX sh (dash, bash) with GNU sed (Debian/Ubuntu, no busybox). Runs once per
# connection (over SSH, or as a child of colabtop for the local machine) and answers one framed
# snapshot per request line read from stdin, so a tick costs the host ~8 forks and no login-shell
# rc files. Sent as written (see RemoteScript): started as `/bin/sh -c SCRIPT colabtop-probe N`,
# or `... colabtop-probe N perl` when probe.pl follows on stdin: where the host has perl, probe.pl
# (one long-lived reader, no fork a tick, the same frames byte for byte) answers instead.
# Files are read with `LC_ALL=C sed -n 'F;s/^/|/;l 0'`, which prints, for every line, the file
# name and then the line escaped (\ooo, \t, \\) and ended by `$`: exact bytes (NULs of cmdline
# too) in plain ASCII, in one process for many files (one od per cmdline, and dash's
# byte-at-a-time read builtin, cost ~35 ms a tick before).
# Request: "SEQ" or "SEQ FLAGS", FLAGS any of p (also send /etc/passwd), o (systemd-oomd's state:
# every few ticks) and k (the kill log: on connect and after /proc/vmstat's oom_kill moved).
# Frame: "@@ct:begin SEQ" ... "@@ct:end SEQ".
# Sections start with "@@ct:NAME"; data lines never start with "@@ct:": every byte a process or a
# driver chose (command lines, names, nvidia-smi output) goes through sed l, so no newline or
# marker-shaped text of theirs can end a section or forge another. Frames are bounded here too:
# each line of a command line is cut at 4096 bytes and only its first 4 lines are read (a 2 MB
# argv, or one of 2 MB of newlines, costs the frame 16 KiB a process at most).
# $1: how many processes to detail, the top ones by oom_score.
#
# /proc/uptime rides on the first sed: with a process's start time (ticks after boot) it gives how
# long the process has run, measured on the host's own clock.
#
# Every tick also carries the two OOM figures, at no extra fork: /proc/vmstat's oom_kill line rides
# on the sed that reads /proc/mounts, and the boot id is read once (it cannot change while this
# probe runs). The cgroup (/proc/PID/cgroup) of every detailed process rides on its status sed.
#
# The probe is function definitions and then one call, so sh parses all of it before anything
# runs (sh runs a script command by command): a syntax error anywhere means no hello, and colabtop
# says the probe did not start, with sh's message, instead of reading frames that lack a section.
probe() {
  exec 2>/dev/null
  top=${1:-20}
  case $top in *[!0-9]*|"") top=20 ;; esac
  # $2 = perl: colabtop sent probe.pl after this script on stdin ("LENGTH" line, then the bytes).
  # Where the host has perl, that long-lived reader answers instead (same frames, no fork a tick);
  # it reads exactly its own bytes, so when it never said hello (exit 97: a perl that cannot
  # compile it) the requests are still unread and this probe answers them. Without perl its
  # bytes are skipped.
  if [ "${2-}" = perl ]; then
    if command -v perl >/dev/null; then
      perl -e "$PERL_BOOT" colabtop-probe "$top"
      [ $? -eq 97 ] || exit 0
    else
      read -r n || exit 0
      case $n in *[!0-9]*|"") exit 0 ;; esac
      [ "$n" -le 1048576 ] || exit 0
      dd bs=1 count="$n" of=/dev/null 2>/dev/null
    fi
  fi
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
  boot=
  read -r boot < /proc/sys/kernel/random/boot_id
  printf '@@ct:hello colabtop-probe 1\n'
  while read -r seq flags; do
    case $seq in *[!0-9]*|"") exit 0 ;; esac
    printf '@@ct:begin %s\n' "$seq"
    # "|" as every data line: PRETTY_NAME is whatever /etc/os-release says, "@@ct:end 1" included
    printf '@@ct:kernel\n|%s %s\n' "$os" "$kernel"
    printf '@@ct:files\n'
    LC_ALL=C sed -n 'F;s/^/|/;l 0' /proc/meminfo /proc/swaps /proc/pressure/memory /proc/uptime < /dev/null
    printf '@@ct:boot\n%s\n' "$boot"
    printf '@@ct:mounts\n'
    # FUSE mounts, and the oom_kill counter of /proc/vmstat (kernel 4.13+) in the same process
    LC_ALL=C sed -n '/^oom_kill /{F;s/^/|/;l 0;b};/ fuse[.]/{F;s/^/|/;l 0}' /proc/mounts /proc/vmstat < /dev/null
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
        sfiles="$sfiles /proc/$w/status /proc/$w/cgroup"
      fi
    done
    # $files and $sfiles are lists of /proc paths, split into arguments on purpose
    printf '@@ct:procfiles\n'
    # shellcheck disable=SC2086
    if [ -n "$files" ]; then LC_ALL=C sed -s -n '1,4{s/./&\n/4096;s/\n.*//;F;s/^/|/;l 0}' $files < /dev/null; fi
    printf '@@ct:procstatus\n'
    # shellcheck disable=SC2086
    if [ -n "$sfiles" ]; then
      # status: Name, Uid, VmRSS; cgroup: the unified line (0::/user.slice/...) or a v1 host's name=systemd one
      LC_ALL=C sed -n '/^Name:/{F;s/^/|/;l 0};/^Uid:/{F;s/^/|/;l 0};/^VmRSS:/{F;s/^/|/;l 0};/^0::/{s/./&\n/4096;s/\n.*//;F;s/^/|/;l 0};/^[0-9]*:name=systemd:/{s/./&\n/4096;s/\n.*//;F;s/^/|/;l 0}' $sfiles < /dev/null
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
    case $flags in *o*) oomd ;; esac
    case $flags in *k*) oomlog ;; esac
    printf '@@ct:end %s\n' "$seq"
  done
}


# systemd-oomd: "active", "inactive"... as systemctl says ("absent" without systemctl or a systemd
# PID 1), then oomctl's dump (unprivileged) escaped like any host text, at most 2000 lines.
oomd() {
  printf '@@ct:oomd\n'
  st=
  if command -v systemctl >/dev/null; then
    # $to is "timeout 5" or nothing: split into a command on purpose
    # shellcheck disable=SC2086
    st=$($to systemctl is-active systemd-oomd 2>/dev/null)
  fi
  case $st in ''|*[!a-z-]*) st=absent ;; esac
  printf '%s\n' "$st"
  if [ "$st" = active ] && command -v oomctl >/dev/null; then
    # shellcheck disable=SC2086
    $to oomctl --no-pager dump 2>&1 < /dev/null | LC_ALL=C sed -n '1,2000{s/./&\n/1024;s/\n.*//;s/^/|/;l 0}'
  fi
}

# Who killed what: the kernel's OOM report and systemd-oomd's lines, from the first source this user
# may read: the journal (kernel, oomd, and the message ids of "killed by the OOM killer",
# fe6faa94e7774663a0da52717891d8ef, "systemd-oomd killed N process(es)", d989611b15e44c9dbf31e3c81256e4ed,
# and a unit's result, d9b373ed55a64feb8242e02dbe79a49c), else /var/log/kern.log (with syslog's systemd
# lines), else dmesg, else dmesg through sudo -n (never a prompt). Section oomsrc says which, and why
# the others were passed over, in fixed words; oomlog has the last 400 matching lines, each cut at
# 2048 bytes. clock: epoch now, UTC offset, boot time, to date syslog and dmesg lines.
oomlog() {
  printf '@@ct:oomsrc\n'
  printf 'clock %s %s\n' "$(date '+%s %z')" "$(LC_ALL=C sed -n 's/^btime //p' /proc/stat)"
  src=none
  log=
  # $to is "timeout 5" or nothing: split into a command on purpose
  # shellcheck disable=SC2086
  if ! command -v journalctl >/dev/null; then
    printf 'tried journal none\n'
  elif [ -n "$($to journalctl -k -b 0 -n 1 -q --no-pager -o cat 2>/dev/null < /dev/null)" ]; then
    src=journal
  else
    printf 'tried journal empty\n'
  fi
  if [ "$src" = none ]; then
    if [ ! -e /var/log/kern.log ]; then
      printf 'tried kern.log absent\n'
    elif [ ! -r /var/log/kern.log ]; then
      printf 'tried kern.log unreadable\n'
    elif [ ! -s /var/log/kern.log ]; then
      printf 'tried kern.log empty\n'
    else
      src=kern.log
    fi
  fi
  # dmesg is read once, into $log: whether it worked is known before its lines are sent
  if [ "$src" = none ]; then
    if ! command -v dmesg >/dev/null; then
      printf 'tried dmesg absent\n'
    elif log=$(dmesg 2>/dev/null < /dev/null); then
      src=dmesg
    elif log=$(sudo -n dmesg 2>/dev/null < /dev/null); then
      src=dmesg
    else
      printf 'tried dmesg refused\n'
    fi
  fi
  printf 'source %s\n' "$src"
  printf '@@ct:oomlog\n'
  # shellcheck disable=SC2086
  case $src in
    journal) $to journalctl -q --no-pager -o short-unix -n 20000 _TRANSPORT=kernel + SYSLOG_IDENTIFIER=systemd-oomd \
      + MESSAGE_ID=fe6faa94e7774663a0da52717891d8ef + MESSAGE_ID=d989611b15e44c9dbf31e3c81256e4ed \
      + MESSAGE_ID=d9b373ed55a64feb8242e02dbe79a49c ;;
    kern.log)
      tail -c 8388608 /var/log/kern.log
      if [ -r /var/log/syslog ]; then tail -c 8388608 /var/log/syslog | grep -E ' systemd(-oomd)?\[[0-9]+\]: '; fi ;;
    dmesg) printf '%s\n' "$log" ;;
  esac 2>/dev/null < /dev/null \
    | LC_ALL=C grep -E 'invoked oom-killer|oom-kill:|Killed process|Kill process|killed by the OOM killer|oom-kill|systemd-oomd killed|for killing due to|Killed [^ ]+ due to' \
    | tail -n 400 | LC_ALL=C sed -n 's/./&\n/2048;s/\n.*//;s/^/|/;l 0'
  log=
}

# Reads probe.pl from stdin exactly ("LENGTH" line, then that many bytes: sysread, no buffering
# past them) and runs it; 97 when it never said hello, 98 when what came was not a program.
# shellcheck disable=SC2016
PERL_BOOT='my ($n, $c, $s) = ("", "", "");
while (sysread(STDIN, $c, 1) == 1 && $c ne "\n") { $n .= $c; exit 98 if length $n > 8 }
exit 98 unless $n =~ /\A[0-9]+\z/ && $n > 0 && $n <= 1048576;
while (length $s < $n) { sysread(STDIN, $s, $n - length $s, length $s) > 0 or exit 98 }
eval $s;
exit($main::hello ? 0 : 97);'

probe "$@"
