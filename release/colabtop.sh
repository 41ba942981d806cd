#!/bin/sh
# colabtop, as released: its own Java runtime (runtime/), its jar and class-data archive (lib/).
# Nothing else is needed on the machine: no Java, no Maven. A link to this file (in ~/.local/bin)
# is followed to find the rest.
self=$0
while [ -L "$self" ]; do
  link=$(readlink "$self") || break
  case $link in
    /*) self=$link ;;
    *) self=${self%/*}/$link ;;
  esac
done
case $self in
  */*) home=${self%/*}/.. ;;
  *) home=.. ;;
esac
lib=$home/lib
# the archive of colabtop's classes made at build time (AppCDS): starts faster; ignored if unusable
cds=
[ -f "$lib/colabtop.jsa" ] && cds="-XX:SharedArchiveFile=$lib/colabtop.jsa -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"
# shellcheck disable=SC2086 # COLABTOP_JAVA_OPTS and cds are lists of flags
exec "$home/runtime/bin/java" "@$lib/jvm.options" $cds ${COLABTOP_JAVA_OPTS:-} -jar "$lib/colabtop.jar" "$@"
