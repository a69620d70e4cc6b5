package io.volant.manifest;

/** TEMPORARY stand-in (see package-info). */
public record HealthCheck(String endpoint, long timeoutMs) {}
