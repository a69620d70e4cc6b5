package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** AC-M5: guests on the VM subnet reach only /healthz and their plugin manifest (no key needed). */
class GuestAccessTest {
    // The loopback client is declared a trusted proxy so X-Forwarded-For can present a guest address.
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture().env("VOLANT_TRUSTED_PROXIES", "127.0.0.1")
            .env("VOLANT_API_KEY", "k");

    @Test
    void guest_fetches_its_manifest_but_nothing_else() {
        Api api = volantd.start();
        assertThat(api.install("example-caddy.manifest.json").status()).isEqualTo(401);
        var installed = api.post("/api/v1/plugins", readCaddy(), "X-Volant-API-Key", "k");
        assertThat(installed.status()).isEqualTo(201);
        String[] guest = {"X-Forwarded-For", "192.168.127.10"};
        assertThat(api.get("/api/v1/plugins/caddy/manifest", guest).status()).isEqualTo(200);
        assertThat(api.get("/healthz", guest).status()).isEqualTo(200);
        var vms = api.get("/api/v1/vms", guest);
        assertThat(vms.status()).isEqualTo(403);
        assertThat(vms.error()).isEqualTo("access denied");
        assertThat(api.get("/api/v1/vms", "X-Forwarded-For", "10.1.2.3").status()).isEqualTo(401);
    }

    private static String readCaddy() {
        try {
            return new String(GuestAccessTest.class.getResourceAsStream("/it/example-caddy.manifest.json").readAllBytes());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
