package io.volant.kestrel.power;

import io.volant.kestrel.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ACPI power button (plugins-and-guest.md §2.6 Chosen, K16; host-runtime.md §3.7): watches the
 * {@code /dev/input/event<N>} devices named {@code Power Button} and runs the shutdown action on a key press
 * ({@code EV_KEY}, {@code KEY_POWER} = 116, value 1). Plain file reads of {@code struct input_event} — no native code.
 * Without such a device (no ACPI {@code button}/{@code evdev} drivers, or not a guest) it does nothing.
 */
public final class PowerButtonWatcher {
    /** {@code struct input_event} on 64-bit Linux: {@code struct timeval} (16 bytes), u16 type, u16 code, s32 value. */
    static final int EVENT_SIZE = 24;
    static final int EV_KEY = 1;
    static final int KEY_POWER = 116;

    private final Path sysInput;
    private final Path devInput;
    private final Runnable onPress;
    private final Log log;

    /**
     * @param sysInput {@code /sys/class/input} in a guest
     * @param devInput {@code /dev/input} in a guest
     */
    public PowerButtonWatcher(Path sysInput, Path devInput, Runnable onPress, Log log) {
        this.sysInput = sysInput;
        this.devInput = devInput;
        this.onPress = onPress;
        this.log = log;
    }

    /** Starts one daemon reader per power-button device; returns the devices watched. */
    public List<Path> start() {
        List<Path> watched = new ArrayList<>();
        if (!Files.isDirectory(sysInput)) {
            return watched;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(sysInput, "event*")) {
            for (Path ev : ds) {
                Path name = ev.resolve("device/name");
                if (Files.isReadable(name)
                        && Files.readString(name, StandardCharsets.UTF_8).strip().equals("Power Button")) {
                    Path dev = devInput.resolve(ev.getFileName().toString());
                    watched.add(dev);
                    Thread.ofPlatform().name("kestrel-power-button").daemon().start(() -> watch(dev));
                }
            }
        } catch (IOException e) {
            log.info("power button scan failed", "dir", sysInput, "error", e.getMessage());
        }
        if (!watched.isEmpty()) {
            log.info("power button watched", "devices", watched);
        }
        return watched;
    }

    void watch(Path dev) {
        try (InputStream in = Files.newInputStream(dev)) {
            byte[] buf = new byte[EVENT_SIZE];
            while (in.readNBytes(buf, 0, EVENT_SIZE) == EVENT_SIZE) {
                if (isPowerPress(buf)) {
                    log.info("power button pressed", "device", dev);
                    onPress.run();
                    return;
                }
            }
        } catch (IOException e) {
            log.info("power button watch ended", "device", dev, "error", e.getMessage());
        }
    }

    static boolean isPowerPress(byte[] event) {
        ByteBuffer b = ByteBuffer.wrap(event).order(ByteOrder.LITTLE_ENDIAN);
        return (b.getShort(16) & 0xFFFF) == EV_KEY && (b.getShort(18) & 0xFFFF) == KEY_POWER && b.getInt(20) == 1;
    }
}
