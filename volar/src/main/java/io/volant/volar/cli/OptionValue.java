package io.volant.volar.cli;

import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;

/**
 * Where an option declared with picocli's programmatic API ({@link Volar}'s) keeps its value: picocli's own
 * {@code ObjectBinding} is not public, and a field binding would read the field by reflection.
 */
final class OptionValue implements IGetter, ISetter {
    private Object value;

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
        return (T) value;
    }

    @Override
    public <T> T set(T value) {
        T previous = get();
        this.value = value;
        return previous;
    }

    /** The value as given on the command line; null when the option was not given. */
    String text() {
        return (String) value;
    }
}
