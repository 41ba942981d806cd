# shellcheck shell=sh
# colabtop: protects processes from both OOM killers. First pin_kernel (pin.sh) sets oom_score_adj
# for the kernel's OOM killer and leaves the pids in $list (the targets and, with tree=1, their
# descendants); a refusal there fails the whole action with nothing changed. Then, where
# systemd-oomd runs and oomd=1, it keeps oomd away from the same processes. oomd kills whole cgroups and never reads oom_score_adj; what it honours is
# ManagedOOMPreference=omit, which systemd writes as the xattr user.oomd_omit on the unit's cgroup
# (honoured on root-owned cgroups from systemd 249, also on owner-matching ones from 252). So:
#  - a process in a container's cgroup (docker, containerd, kubepods, lxc, libpod, machine.slice)
#    or another pid namespace is never moved: "oomd-not PID container ...";
#  - a process of a system service keeps its cgroup; the service gets ManagedOOMPreference=omit
#    (systemctl set-property --runtime), and protects all of it: "oomd-omit PID UNIT service";
#  - a process of a user manager's service is left alone, said: "oomd-not PID user-service UNIT";
#  - everything else (an SSH session's scope, a terminal's, tmux's, systemd-run's) moves into one
#    new root-owned scope, colabtop-protect-PID-N.scope, made over D-Bus (busctl,
#    StartTransientUnit with PIDs, ManagedOOMPreference=omit, and OOMPolicy=continue where
#    systemd >= 253 takes it for scopes, so one kernel kill in it does not stop the rest:
#    systemd.scope(5), "OOMPolicy= ... Added in version 253"; an older systemd refuses the
#    whole call over an unknown property, so it is not sent there).
# Then it reads back what is in force: each process's cgroup (/proc/PID/cgroup) and the unit's
# ManagedOOMPreference and OOMPolicy (systemctl show), and reports
#   colabtop-result: oomd active 252
#   colabtop-result: oomd-omit 4242 colabtop-protect-4242-5120.scope scope
#   colabtop-result: oompolicy colabtop-protect-4242-5120.scope continue
#   colabtop-result: oomd-not 4300 user-service app-foo.service
# or "oomd inactive" / "oomd absent" when no systemd-oomd runs (nothing else to do). With oomd=0
# (an oom_score_adj that protects from nothing) only oomd's state is said. A failure here
# leaves oom_score_adj as pin_kernel set it: that part is done and was read back. Comes after
# prelude.sh, pin.sh and its header.
: "${adj:?}" "${tree:?}" "${targets:?}" "${oomd:?}"
pin_kernel
if ! command -v systemctl >/dev/null 2>&1; then
  result "oomd absent"
  exit 0
fi
st=$(systemctl is-active systemd-oomd 2>/dev/null)
case $st in active) ;; ''|*[!a-z-]*) result "oomd absent"; exit 0 ;; *) result "oomd $st"; exit 0 ;; esac
# "systemd 252 (252.38-1~deb12u1)"
ver=$(systemctl --version 2>/dev/null | { read -r _ v _; printf '%s' "$v"; })
case $ver in ''|*[!0-9]*) ver=0 ;; esac
result "oomd active $ver"
# oomd=0: only oom_score_adj was asked for (a value that is no protection); oomd's state is said
[ "$oomd" = 1 ] || exit 0
cgroup_of() { sed -n 's/^0:://p' "/proc/$1/cgroup" 2>/dev/null; }
self_ns=$(readlink /proc/self/ns/pid 2>/dev/null)
movers=""
first=""
# shellcheck disable=SC2154 # $list is pin_kernel's
for p in $list; do
  cg=$(cgroup_of "$p")
  if [ -z "$cg" ]; then
    [ -d "/proc/$p" ] || { say "process $p exited meanwhile"; continue; }
    result "oomd-not $p no-unified-cgroup"
    continue
  fi
  if [ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" != "$self_ns" ]; then
    result "oomd-not $p container pid-namespace"
    continue
  fi
  case $cg in
    */docker/*|*/docker-*.scope*|*/kubepods*|*/lxc/*|*/lxc.payload*|*/libpod-*|*/containerd/*|*/cri-containerd-*|/machine.slice/*)
      result "oomd-not $p container $cg"
      continue ;;
  esac
  leaf=${cg##*/}
  case $cg in
    */user@*.service/*.service)
      result "oomd-not $p user-service $leaf"
      continue ;;
    /system.slice/*.service)
      if err=$(systemctl set-property --runtime "$leaf" ManagedOOMPreference=omit 2>&1); then
        got=$(systemctl show -p ManagedOOMPreference --value "$leaf" 2>/dev/null)
        if [ "$got" = omit ]; then
          result "oomd-omit $p $leaf service"
        else
          result "oomd-not $p set-property $leaf reads ManagedOOMPreference=$got"
        fi
      else
        result "oomd-not $p set-property $leaf: $(printf '%s' "$err" | head -n 1)"
      fi
      continue ;;
  esac
  movers="$movers $p"
  [ -n "$first" ] || first=$p
done
[ -n "$movers" ] || exit 0
unit="colabtop-protect-$first-$$.scope"
# shellcheck disable=SC2086 # $movers is a list of pids, split into arguments on purpose
n=$(set -- $movers; echo $#)
props=3
[ "$ver" -ge 253 ] && props=4
say "busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager StartTransientUnit $unit fail PIDs=$movers ManagedOOMPreference=omit$([ "$props" = 4 ] && printf ' OOMPolicy=continue')"
# the D-Bus signature: name, mode, properties a(sv), auxiliary units a(sa(sv)) (none)
if [ "$props" = 4 ]; then
  # shellcheck disable=SC2086
  err=$(busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager \
    StartTransientUnit 'ssa(sv)a(sa(sv))' "$unit" fail "$props" \
    Description s "colabtop: kept from OOM killers" PIDs au "$n" $movers ManagedOOMPreference s omit \
    OOMPolicy s continue 0 2>&1)
else
  # shellcheck disable=SC2086
  err=$(busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager \
    StartTransientUnit 'ssa(sv)a(sa(sv))' "$unit" fail "$props" \
    Description s "colabtop: kept from OOM killers" PIDs au "$n" $movers ManagedOOMPreference s omit 0 2>&1)
fi
rc=$?
if [ "$rc" != 0 ]; then
  for p in $movers; do result "oomd-not $p busctl: $(printf '%s' "$err" | head -n 1)"; done
  exit 0
fi
pref=$(systemctl show -p ManagedOOMPreference --value "$unit" 2>/dev/null)
for p in $movers; do
  cg=$(cgroup_of "$p")
  if [ -z "$cg" ] && [ ! -d "/proc/$p" ]; then
    say "process $p exited meanwhile"
  elif [ "${cg##*/}" != "$unit" ]; then
    result "oomd-not $p still in $cg after StartTransientUnit"
  elif [ "$pref" != omit ]; then
    result "oomd-not $p $unit reads ManagedOOMPreference=$pref"
  else
    result "oomd-omit $p $unit scope"
  fi
done
if [ "$props" = 4 ]; then
  result "oompolicy $unit $(systemctl show -p OOMPolicy --value "$unit" 2>/dev/null)"
fi
