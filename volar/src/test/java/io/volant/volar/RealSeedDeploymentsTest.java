package io.volant.volar;

import java.nio.file.Path;
import java.util.Map;

/** The seed's commands verbatim against a real in-process volantd (simulated backend). */
class RealSeedDeploymentsTest extends SeedDeploymentsTest {
    @Override
    TestServer startServer(Path dir) throws Exception {
        return new RealVolantd(dir, Map.of());
    }
}
