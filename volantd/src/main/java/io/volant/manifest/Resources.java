package io.volant.manifest;

/** TEMPORARY stand-in (see package-info). */
public record Resources(int cpuCores, int memoryMb) {}
