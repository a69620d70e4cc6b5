package io.volant.volantd.vm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * The VM lifecycle (control-plane.md §1-§2, §4). Every method is blocking and thread-safe; operations on one
 * name are serialized. Failures are {@link io.volant.volantd.errors.VolantException}s carrying the spec's message.
 */
public final class VmService {

    /** Creates and boots a VM (api-and-cli.md §2.3.2 + control-plane.md §2.2/§2.10). */
    public Vm create(CreateVmRequest request) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The VM, or empty. Names are opaque here (legacy rows stay reachable). */
    public Optional<Vm> find(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The VM or 404 {@code orchestrator: vm not found: <name>}. */
    public Vm get(String name) {
        return find(name).orElseThrow(() -> new io.volant.volantd.errors.NotFoundException("orchestrator: vm not found: " + name));
    }

    /** Filtered, sorted, paginated list. */
    public Page<Vm> list(VmQuery query) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** StartVM: 409 {@code orchestrator: vm <name> already running} from starting/running. */
    public Vm start(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** StopVM, idempotent. */
    public Vm stop(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Stop then start. */
    public Vm restart(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** DestroyVM; a deployment member triggers a controller pass. */
    public void destroy(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Current config; 404 for an unknown VM or a missing config. */
    public VersionedConfig config(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Applies a presence-based / merge-patch body (control-plane.md §4.7, §4.9); returns the new version. */
    public VersionedConfig patchConfig(String name, JsonNode patch) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** History newest first; {@code limit} 0 = all. */
    public List<ConfigHistoryEntry> configHistory(String name, int limit) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
