package io.volant.volar.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link Json#read} builds the same tree as databind's {@code ObjectMapper.readTree}, without the mapper. */
class JsonReadTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final Json json = new Json();

    @Provide
    Arbitrary<JsonNode> documents() {
        return tree(4);
    }

    private static Arbitrary<JsonNode> tree(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(NODES::textNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(20).negate(), BigInteger.TEN.pow(20))
                        .map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> child = tree(depth - 1);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(1, child.list().ofMaxSize(5).map(l -> {
                    var a = NODES.arrayNode();
                    l.forEach(a::add);
                    return (JsonNode) a;
                })),
                net.jqwik.api.Tuple.of(1, Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), child).ofMaxSize(5)
                        .map(m -> {
                            var o = NODES.objectNode();
                            m.forEach(o::set);
                            return (JsonNode) o;
                        })));
    }

    @Property(tries = 300)
    void reads_what_the_mapper_reads(@ForAll("documents") JsonNode doc) throws Exception {
        byte[] bytes = MAPPER.writeValueAsBytes(doc);
        assertThat(json.read(bytes)).isEqualTo(MAPPER.readTree(bytes));
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json.parse(text)).isEqualTo(MAPPER.readTree(text));
    }

    @Test
    void numbers_keep_the_mappers_node_types() throws Exception {
        String doc = "[1, 3000000000, 123456789012345678901234567890, 1.5, -0.0, 1e3]";
        JsonNode read = json.parse(doc);
        JsonNode expected = MAPPER.readTree(doc);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(read.get(i).getClass()).isEqualTo(expected.get(i).getClass());
            assertThat(read.get(i)).isEqualTo(expected.get(i));
        }
    }

    @Test
    void the_last_of_duplicate_members_wins_and_empty_input_is_missing() throws Exception {
        assertThat(json.parse("{\"a\": 1, \"a\": 2}").get("a").asInt()).isEqualTo(2);
        assertThat(json.read(new byte[0])).isSameAs(MissingNode.getInstance());
        assertThat(json.parse("  ")).isSameAs(MissingNode.getInstance());
    }

    @Test
    void malformed_json_names_line_and_column_and_the_next_document_reads() {
        assertThatThrownBy(() -> json.parse("{\n  \"a\": }"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("line 2, column 8: ");
        assertThatThrownBy(() -> json.read("[1, 2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonProcessingException.class);
        assertThat(json.parse("{\"ok\": true}").get("ok").asBoolean()).isTrue();
    }

    @Test
    void nesting_beyond_the_parsers_limit_is_an_error_not_a_stack_overflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> json.parse(deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("depth");
    }
}
