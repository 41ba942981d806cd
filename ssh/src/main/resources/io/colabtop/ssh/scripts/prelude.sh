# shellcheck shell=sh
# colabtop: the start of every action script (see HostScripts). The script goes to `sh -s` on
# stdin, as root or through `sudo -n`, and reports on stdout with three kinds of line:
#   colabtop-step: fallocate -l 16384M /swapfile
#   colabtop-result: active
#   colabtop-error: swapon /swapfile failed: Invalid argument
# Other lines are ignored (the swap relay prints an empty line as a heartbeat). After this file
# come the shared functions a script needs, its header (name='value' lines, each value checked
# and quoted by colabtop) and the script itself, which names the header values it needs first.
set -u
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin
export LC_ALL=C
say() { printf 'colabtop-step: %s\n' "$*"; }
fail() { printf 'colabtop-error: %s\n' "$*"; exit 1; }
result() { printf 'colabtop-result: %s\n' "$*"; }
# first field of a line in a file equals $2 (exact: no regex, paths may hold dots)
first_field_in() { while read -r f _; do [ "$f" = "$2" ] && return 0; done < "$1"; return 1; }
