package io.volant.volantd.vfio;

import io.volant.volantd.errors.InvalidArgumentException;
import java.util.List;

/** A backend without passthrough (simulated, QEMU TCG): every VFIO request is refused at create. */
public final class UnsupportedVfioManager implements VfioManager {
    private final String message;

    public UnsupportedVfioManager(String message) {
        this.message = message;
    }

    @Override
    public void validateDevices(List<String> pciAddresses, List<String> allowlist) {
        throw new InvalidArgumentException(message);
    }

    @Override
    public void bindDevices(List<String> pciAddresses) {
        throw new InvalidArgumentException(message);
    }

    @Override
    public List<String> groupPaths(List<String> pciAddresses) {
        throw new InvalidArgumentException(message);
    }

    @Override
    public VfioDevice info(String pciAddress) {
        throw new VfioException(message);
    }

    @Override
    public List<IommuGroup> iommuGroups(List<String> pciAddresses) {
        throw new VfioException(message);
    }

    @Override
    public void unbindDevices(List<String> pciAddresses) {
        // nothing was ever bound
    }
}
