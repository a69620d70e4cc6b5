package io.volant.kestrel.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.kestrel.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PowerButtonWatcherTest {
    @TempDir
    Path root;
    private final Log log = new Log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "k: ");

    private static byte[] event(int type, int code, int value) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(2)
                .putShort((short) type).putShort((short) code).putInt(value).array();
    }

    private void device(String event, String name, byte[]... events) throws Exception {
        Path sys = root.resolve("sys/" + event + "/device");
        Files.createDirectories(sys);
        Files.writeString(sys.resolve("name"), name + "\n");
        Files.createDirectories(root.resolve("dev"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] e : events) {
            b.write(e);
        }
        Files.write(root.resolve("dev/" + event), b.toByteArray());
    }

    @Test
    void key_power_press_on_the_power_button_device_triggers_shutdown_once() throws Exception {
        device("event0", "AT Translated Set 2 keyboard", event(1, 116, 1));
        device("event1", "Power Button", event(4, 4, 116), event(1, 116, 0), event(1, 116, 1), event(1, 116, 1));
        AtomicInteger presses = new AtomicInteger();

        var watched = new PowerButtonWatcher(root.resolve("sys"), root.resolve("dev"), presses::incrementAndGet, log)
                .start();

        assertThat(watched).containsExactly(root.resolve("dev/event1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> presses.get() == 1);
    }

    @Test
    void release_and_other_keys_are_ignored() {
        assertThat(PowerButtonWatcher.isPowerPress(event(1, 116, 0))).isFalse();
        assertThat(PowerButtonWatcher.isPowerPress(event(1, 115, 1))).isFalse();
        assertThat(PowerButtonWatcher.isPowerPress(event(0, 116, 1))).isFalse();
        assertThat(PowerButtonWatcher.isPowerPress(event(1, 116, 1))).isTrue();
    }

    @Test
    void without_input_devices_nothing_is_watched() {
        assertThat(new PowerButtonWatcher(root.resolve("none"), root.resolve("dev"), () -> { }, log).start()).isEmpty();
    }
}
