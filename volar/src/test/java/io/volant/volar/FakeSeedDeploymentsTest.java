package io.volant.volar;

import io.volant.volar.fake.FakeVolantd;
import java.nio.file.Path;

/** The seed's commands against the in-process fake volantd. */
class FakeSeedDeploymentsTest extends SeedDeploymentsTest {
    @Override
    TestServer startServer(Path dir) throws Exception {
        FakeVolantd fake = new FakeVolantd("");
        return new TestServer() {
            @Override
            public String base() {
                return fake.base();
            }

            @Override
            public String caddyManifest(Path d) {
                return TestManifests.CADDY;
            }

            @Override
            public void close() {
                fake.close();
            }
        };
    }
}
