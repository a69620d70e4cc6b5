package io.volant.volantd.testing;

import io.volant.volantd.vm.VmService;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of engine tests that need one fresh {@link Engine} per test with one plugin installed: {@link #e} and its
 * {@link #vms} are ready in every test method and closed after it.
 */
public abstract class EngineCase {
    @TempDir
    protected Path dir;
    protected Engine e;
    protected VmService vms;
    private final Consumer<Engine> install;

    protected EngineCase(String plugin, int cpu, int memoryMb) {
        this.install = engine -> engine.install(plugin, cpu, memoryMb);
    }

    @BeforeEach
    void startEngine() {
        e = new Engine(dir);
        vms = e.volantd.vms();
        install.accept(e);
    }

    @AfterEach
    void closeEngine() {
        e.close();
    }
}
