package io.colabtop.ssh;

/**
 * Which program answers the probe's requests on a host. Both speak the same frames (probe.sh's
 * header): the POSIX sh probe forks sed, sort and head every tick; the perl reader (probe.pl) is
 * one long-lived process that forks nothing on a plain tick, and is started by probe.sh only where
 * the host has perl, so a host without it still gets the sh probe.
 */
public enum ProbeEngine {
    /** probe.pl where the host has perl (every Debian and Ubuntu image: perl-base), else probe.sh. */
    PERL_WHERE_PRESENT,
    /** probe.sh only. */
    SH;

    /** What probe.pl's hello line ends in; probe.sh's hello has no such word. */
    static final String PERL_HELLO_WORD = "perl";
}
