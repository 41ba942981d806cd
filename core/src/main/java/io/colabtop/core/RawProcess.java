package io.colabtop.core;

/**
 * The exact texts read for one process. A process can exit between two reads: any of the
 * texts may then be null or empty, and the assembler drops the process.
 */
public record RawProcess(int pid, String stat, String status, byte[] cmdline, String oomScore, String oomScoreAdj) {}
