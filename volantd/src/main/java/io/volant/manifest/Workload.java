package io.volant.manifest;

import java.util.List;
import java.util.Map;

/** TEMPORARY stand-in (see package-info). */
public record Workload(String type, String baseUrl, List<String> entrypoint, Map<String, String> env, String workdir) {}
