package io.volant.volantd.config;

import java.util.Map;

/**
 * etcd's own user authentication (docs/cluster.md, "Securing etcd"): {@code VOLANT_CLUSTER_ETCD_USER} and
 * {@code VOLANT_CLUSTER_ETCD_PASSWORD}, both or neither, and only with {@code https://} endpoints (the password would
 * otherwise cross the network in clear text). {@link #toString()} never shows the password, so a logged
 * configuration cannot leak it.
 */
public record EtcdUser(String name, String password) {
    public static final EtcdUser NONE = new EtcdUser("", "");
    static final String USER = "VOLANT_CLUSTER_ETCD_USER";
    static final String PASSWORD = "VOLANT_CLUSTER_ETCD_PASSWORD";

    public boolean enabled() {
        return !name.isEmpty();
    }

    @Override
    public String toString() {
        return enabled() ? "EtcdUser[name=" + name + ", password=(hidden)]" : "EtcdUser[none]";
    }

    static EtcdUser fromEnv(Map<String, String> env, boolean https) {
        String name = ClusterSettings.value(env, USER);
        // The password is taken as given: spaces may be part of it.
        String password = env.getOrDefault(PASSWORD, "");
        if (name.isEmpty() != password.isEmpty()) {
            throw new ConfigException(USER + " and " + PASSWORD + " must be set together");
        }
        if (name.isEmpty()) {
            return NONE;
        }
        if (!https) {
            throw new ConfigException(USER + " is set but VOLANT_CLUSTER_ETCD uses http:// endpoints: "
                    + "the password would cross the network in clear text; use https:// endpoints");
        }
        return new EtcdUser(name, password);
    }
}
