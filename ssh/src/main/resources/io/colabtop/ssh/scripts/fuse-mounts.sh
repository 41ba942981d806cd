# shellcheck shell=sh
# colabtop: the FUSE mounts of the host (gcsfuse shows as fuse.gcsfuse), for the host view:
#   colabtop-result: mount my-bucket /content/gcs fuse.gcsfuse
# Comes after prelude.sh.
while read -r dev m type rest; do case $type in fuse.*) result "mount $dev $m $type" ;; esac; done < /proc/mounts
