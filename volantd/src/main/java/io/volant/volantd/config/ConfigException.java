package io.volant.volantd.config;

/** Invalid configuration: the message names the variable and the value. Startup fails with exit 1. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
