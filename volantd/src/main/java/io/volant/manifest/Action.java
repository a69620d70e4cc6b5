package io.volant.manifest;

/** TEMPORARY stand-in (see package-info). */
public record Action(String description, String method, String path, long timeoutMs) {}
