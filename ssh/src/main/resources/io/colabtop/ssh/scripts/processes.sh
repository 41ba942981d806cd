# shellcheck shell=sh
# colabtop: lists every process's pid, start time and parent, and its command line, for pin
# --match (the regex runs in colabtop, not on the host); "self" is this script's own pid, so
# colabtop can leave out the listing itself, the sudo/sh wrappers above it and its sed:
#   colabtop-result: self 5120
#   colabtop-result: proc 4242 8123456 1
# then the command lines as `sed l` prints them (see SedListing). Comes after prelude.sh.
result "self $$"
for d in /proc/[0-9]*; do
  read -r line 2>/dev/null < "$d/stat" || continue
  rest=${line##*) }
  # shellcheck disable=SC2086 # the fields after comm are split into $1.. on purpose
  set -- $rest
  result "proc ${d#/proc/} ${20} $2"
done
LC_ALL=C sed -n "F;s/^/|/;l 0" /proc/[0-9]*/cmdline < /dev/null 2>/dev/null
# sed exits 2 when a process exited between the glob and its read: expected churn
exit 0
