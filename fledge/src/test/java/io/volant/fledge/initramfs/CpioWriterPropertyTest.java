package io.volant.fledge.initramfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

class CpioWriterPropertyTest {

    @Provide
    Arbitrary<List<CpioEntry>> entries() {
        Arbitrary<String> name = Arbitraries.strings().withChars("abcxyz019._-").ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.equals(".") && !s.equals(".."))
                .list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("/", parts));
        Arbitrary<Integer> mode = Arbitraries.integers().between(0, 07777);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(700);
        Arbitrary<CpioEntry> entry = Combinators.combine(name, mode, data, Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 255)).as((n, m, d, kind, dev) -> switch (kind) {
                    case 0 -> CpioEntry.bytes(n, m, d);
                    case 1 -> CpioEntry.directory(n, m);
                    case 2 -> CpioEntry.symlink(n, "target/" + d.length);
                    default -> CpioEntry.charDevice(n, m, dev, 255 - dev);
                });
        return entry.list().ofMaxSize(25).uniqueElements(CpioEntry::name);
    }

    @Property(tries = 200)
    void write_then_read_with_commons_compress_returns_the_same_entries_sorted(@ForAll("entries") List<CpioEntry> in)
            throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CpioWriter.write(in, buf);
        assertThat(buf.size() % 4).isZero();

        Map<String, CpioEntry> expected = new LinkedHashMap<>();
        in.stream().sorted(java.util.Comparator.comparing(CpioEntry::name)).forEach(e -> expected.put(e.name(), e));
        List<String> readNames = new ArrayList<>();
        try (CpioArchiveInputStream cpio = new CpioArchiveInputStream(new ByteArrayInputStream(buf.toByteArray()))) {
            CpioArchiveEntry a;
            while ((a = cpio.getNextEntry()) != null) {
                readNames.add(a.getName());
                CpioEntry e = expected.get(a.getName());
                assertThat(e).as(a.getName()).isNotNull();
                assertThat(a.getFormat()).isEqualTo(CpioConstants.FORMAT_NEW);
                assertThat(a.getUID()).isZero();
                assertThat(a.getGID()).isZero();
                assertThat(a.getTime()).isEqualTo(CpioWriter.MTIME);
                assertThat(a.getMode() & 07777).isEqualTo(e.kind() == CpioEntry.Kind.SYMLINK ? 0777 : e.mode());
                byte[] content = cpio.readAllBytes();
                switch (e.kind()) {
                    case FILE -> {
                        assertThat(a.isRegularFile()).isTrue();
                        assertThat(content).isEqualTo(e.bytes());
                    }
                    case DIRECTORY -> assertThat(a.isDirectory()).isTrue();
                    case SYMLINK -> {
                        assertThat(a.isSymbolicLink()).isTrue();
                        assertThat(new String(content)).isEqualTo(e.linkTarget());
                    }
                    case CHAR_DEVICE -> {
                        assertThat(a.isCharacterDevice()).isTrue();
                        assertThat(a.getRemoteDeviceMaj()).isEqualTo(e.rdevMajor());
                        assertThat(a.getRemoteDeviceMin()).isEqualTo(e.rdevMinor());
                    }
                    default -> throw new AssertionError(e.kind());
                }
            }
        }
        assertThat(readNames).containsExactlyElementsOf(expected.keySet());
    }

    @Property(tries = 50)
    void the_same_entries_in_any_order_give_the_same_bytes(@ForAll("entries") List<CpioEntry> in) throws Exception {
        List<CpioEntry> reversed = new ArrayList<>(in);
        java.util.Collections.reverse(reversed);
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CpioWriter.write(in, a);
        CpioWriter.write(reversed, b);
        assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
    }
}
