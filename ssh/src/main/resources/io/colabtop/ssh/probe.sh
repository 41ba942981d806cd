# colabtop remote probe. POSIX sh (dash, bash, busybox-free Debian/Ubuntu). Runs once per
# connection and answers one framed snapshot per request line read from stdin, so a tick costs
# the VM a few builtins and ~6 forks, and no login-shell rc files run per tick.
# Request: "SEQ" or "SEQ p" (p: also send /etc/passwd). Frame: "@@ct:begin SEQ" ... "@@ct:end SEQ".
# Sections start with "@@ct:NAME"; data lines never start with "@@ct:".
# Written without single quotes or backslash pairs, and joined into one line by RemoteScript,
# so it can be passed single-quoted through any login shell.
# $1: how many processes to detail, the top ones by oom_score.
exec 2>/dev/null;
top=${1:-20};
case $top in *[!0-9]*|"") top=20 ;; esac;
to=; command -v timeout >/dev/null && to="timeout 5";
smi=; command -v nvidia-smi >/dev/null && smi=1;
kernel=; read -r kernel < /proc/sys/kernel/osrelease;
os=; while IFS== read -r k v; do if [ "$k" = PRETTY_NAME ]; then os=$v; fi; done < /etc/os-release;
bcat() { while IFS= read -r l || [ -n "$l" ]; do printf "%s\n" "$l"; done < "$1"; };
printf "@@ct:hello colabtop-probe 1\n";
while read -r seq flags; do
  case $seq in *[!0-9]*|"") exit 0 ;; esac;
  printf "@@ct:begin %s\n" "$seq";
  printf "@@ct:kernel\n%s %s\n" "$os" "$kernel";
  printf "@@ct:meminfo\n"; bcat /proc/meminfo;
  printf "@@ct:swaps\n"; bcat /proc/swaps;
  if [ -r /proc/pressure/memory ]; then printf "@@ct:pressure\n"; bcat /proc/pressure/memory; fi;
  printf "@@ct:stat\n";
  while IFS= read -r l; do case $l in cpu*) printf "%s\n" "$l" ;; *) break ;; esac; done < /proc/stat;
  case $flags in *p*) printf "@@ct:passwd\n"; bcat /etc/passwd ;; esac;
  for d in /proc/[0-9]*; do
    read -r s < "$d/oom_score" || continue;
    read -r x r y < "$d/statm" || continue;
    printf "%s %s %s\n" "$s" "$r" "${d#/proc/}";
  done | sort -k1,1nr -k2,2nr | head -n "$top" | while read -r s r p; do
    d=/proc/$p;
    printf "@@ct:proc %s\n" "$p";
    printf "@@ct:p.stat\n"; read -r l < "$d/stat" && printf "%s\n" "$l";
    printf "@@ct:p.status\n";
    while IFS= read -r l; do case $l in Name:*|Uid:*|VmRSS:*) printf "%s\n" "$l" ;; esac; done < "$d/status";
    printf "@@ct:p.oom_score\n"; read -r l < "$d/oom_score" && printf "%s\n" "$l";
    printf "@@ct:p.oom_score_adj\n"; read -r l < "$d/oom_score_adj" && printf "%s\n" "$l";
    printf "@@ct:p.cmdline\n"; od -An -v -tx1 "$d/cmdline";
  done;
  if [ -n "$smi" ]; then
    printf "@@ct:gpu\n";
    $to nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used,memory.free,utilization.gpu --format=csv,noheader,nounits 2>&1;
    printf "@@ct:gpu-rc %s\n" "$?";
    printf "@@ct:gpuapps\n";
    $to nvidia-smi --query-compute-apps=gpu_uuid,pid,process_name,used_gpu_memory --format=csv,noheader,nounits;
  fi;
  printf "@@ct:end %s\n" "$seq";
done
