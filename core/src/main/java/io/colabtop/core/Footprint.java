package io.colabtop.core;

/**
 * What colabtop itself costs the machine it runs on (often a VM short of memory), so its weight is
 * shown, never guessed.
 *
 * @param rssBytes   resident memory
 * @param threads    live threads
 * @param cpuPercent CPU since the previous reading, in % of one core, or -1 for the first reading
 */
public record Footprint(long rssBytes, int threads, double cpuPercent) {}
