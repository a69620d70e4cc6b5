package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    private static List<SseReader.Event> parse(String stream, int maxLine) throws IOException {
        List<SseReader.Event> events = new ArrayList<>();
        try (SseReader r = new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), maxLine)) {
            for (Optional<SseReader.Event> e; (e = r.next()).isPresent(); ) {
                events.add(e.get());
            }
        }
        return events;
    }

    @Test
    void one_space_after_the_colon_is_dropped_and_nothing_else_is_trimmed() throws IOException {
        assertThat(parse("data:  two spaces \ndata:none\n\n", 100))
                .containsExactly(new SseReader.Event("", " two spaces \nnone", ""));
    }

    @Test
    void comments_unknown_fields_and_dataless_events_dispatch_nothing() throws IOException {
        assertThat(parse(": connected\n\nevent: x\nretry: 5\n\n: keep-alive\n\n", 100)).isEmpty();
    }

    @Test
    void event_type_and_id_travel_with_the_event_and_a_field_without_colon_has_an_empty_value() throws IOException {
        assertThat(parse("id: 7\nevent: VM_CREATED\ndata: {}\n\ndata\n\n", 100)).containsExactly(
                new SseReader.Event("VM_CREATED", "{}", "7"), new SseReader.Event("", "", "7"));
    }

    @Test
    void an_unfinished_event_at_the_end_is_dropped_and_long_lines_are_cut() throws IOException {
        assertThat(parse("data: " + "x".repeat(50) + "\n\ndata: tail", 16))
                .containsExactly(new SseReader.Event("", "x".repeat(10), ""));
    }

    @Property(tries = 200)
    void written_events_read_back_the_same_with_any_line_ending(@ForAll("events") List<String> datas,
            @ForAll("endings") String eol) throws IOException {
        StringBuilder stream = new StringBuilder(":comment").append(eol);
        for (String data : datas) {
            for (String l : data.split("\n", -1)) {
                stream.append("data: ").append(l).append(eol);
            }
            stream.append(eol);
        }
        assertThat(parse(stream.toString(), 1 << 20).stream().map(SseReader.Event::data)).containsExactlyElementsOf(datas);
    }

    @Provide
    Arbitrary<List<String>> events() {
        Arbitrary<String> text = Arbitraries.strings().withChars(" :abc{}\"\t\u00e9\u4e16").ofMaxLength(30);
        return text.list().ofMinSize(1).ofMaxSize(4).map(lines -> String.join("\n", lines)).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> endings() {
        return Arbitraries.of("\n", "\r\n", "\r");
    }

    @Property(tries = 50)
    void garbage_never_throws_and_the_stream_ends(@ForAll @Size(max = 500) byte[] garbage) throws IOException {
        try (SseReader r = new SseReader(new ByteArrayInputStream(garbage), 64)) {
            int n = 0;
            while (r.next().isPresent()) {
                n++;
            }
            assertThat(n).isLessThanOrEqualTo(garbage.length);
        }
    }
}
