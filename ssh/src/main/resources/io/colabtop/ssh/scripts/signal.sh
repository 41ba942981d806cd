# shellcheck shell=sh
# colabtop: sends signal $sig (a name: TERM, INT, HUP, KILL, STOP, CONT) to process $pid if it is
# still the process the user chose: its start time (field 22 of /proc/PID/stat, e.g.
# "4242 (python3) S 1 ... 8123456 ...") must equal $start, so a reused pid is never signalled.
# Reports "colabtop-result: signalled PID SIG" and whether the process is gone afterwards.
# Comes after prelude.sh, procs.sh and its header.
: "${pid:?}" "${start:?}" "${sig:?}"
now=$(start_of "$pid") || fail "process $pid has already exited"
[ "$now" = "$start" ] || fail "pid $pid is now a different process (started at $now, expected $start): refusing"
say "kill -$sig $pid"
err=$(kill -s "$sig" "$pid" 2>&1) || fail "kill -$sig $pid failed: $err"
result "signalled $pid $sig"
# say what became of it, without waiting long: TERM and INT may take a moment, KILL is immediate
i=0
while [ $i -lt 10 ] && alive "$pid" "$start"; do nap; i=$((i + 1)); done
if alive "$pid" "$start"; then result "running $pid"; else result "gone $pid"; fi
