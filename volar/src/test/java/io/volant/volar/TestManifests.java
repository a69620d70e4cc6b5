package io.volant.volar;

/** Manifests used by the tests (the caddy example of upstream/example-caddy.manifest.json, trimmed). */
final class TestManifests {
    static final String CADDY = """
            {
              "schema_version": "1.0",
              "name": "caddy",
              "version": "0.1.0",
              "runtime": "caddy",
              "initramfs": {"url": "/var/lib/volant/plugins/caddy/caddy.cpio.gz"},
              "resources": {"cpu_cores": 1, "memory_mb": 512},
              "workload": {"type": "http", "base_url": "http://127.0.0.1:80", "entrypoint": ["/usr/bin/caddy", "run"]},
              "health_check": {"endpoint": "/", "timeout_ms": 10000},
              "actions": {"reload": {"description": "reload", "method": "POST", "path": "/reload"}}
            }
            """;

    private TestManifests() {}
}
