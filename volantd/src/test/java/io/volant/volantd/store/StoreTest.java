package io.volant.volantd.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.errors.UnavailableException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persistence acceptance lines AC-S1..S7 and AC-C14 against a real SQLite file. */
class StoreTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("sub/state.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static NewVm vm(String name, String ip, String mac) {
        return new NewVm(name, "pending", ip, mac, 2, 2048, "", "browser", null, null, 0, "running");
    }

    @Test
    void vm_rows_round_trip_through_create_update_and_delete() {
        store.write(tx -> {
            tx.ips().ensurePool(List.of("192.168.127.2", "192.168.127.3"));
            return null;
        });
        long id = store.write(tx -> tx.vms().insert(vm("vm-1", "192.168.127.2", "02:00:00:00:00:01")));
        VmRow row = store.read(tx -> tx.vms().getByName("vm-1")).orElseThrow();
        assertThat(row.id()).isEqualTo(id);
        assertThat(row.status()).isEqualTo("pending");
        assertThat(row.createdAt()).isNotNull();
        assertThat(row.updatedAt()).isNotNull();

        store.write(tx -> {
            tx.vms().updateRuntimeState(id, "running", 4321L);
            tx.vms().updateKernelCmdline(id, "ip=192.168.127.2");
            return null;
        });
        VmRow after = store.read(tx -> tx.vms().getById(id)).orElseThrow();
        assertThat(after.status()).isEqualTo("running");
        assertThat(after.pid()).isEqualTo(4321L);
        assertThat(after.kernelCmdline()).isEqualTo("ip=192.168.127.2");

        store.write(tx -> tx.vms().delete(id));
        var v1 = store.read(tx -> tx.vms().getByName("vm-1"));
        assertThat(v1).isEmpty();
    }

    @Test
    void lease_assign_and_release_in_one_transaction() {
        store.write(tx -> {
            tx.ips().ensurePool(List.of("192.168.127.10", "192.168.127.11"));
            return null;
        });
        store.write(tx -> {
            String ip = tx.ips().leaseNextAvailable();
            long id = tx.vms().insert(new NewVm("vm-lease", "pending", ip, "02:00:00:00:00:aa", 2, 1024, "", "browser",
                    null, null, 3, "running"));
            tx.ips().assign(ip, id);
            return null;
        });
        IpAllocation leased = store.read(tx -> tx.ips().lookup("192.168.127.10")).orElseThrow();
        assertThat(leased.status()).isEqualTo("leased");
        assertThat(leased.vmId()).isNotNull();

        store.write(tx -> {
            tx.ips().release("192.168.127.10");
            return null;
        });
        IpAllocation released = store.read(tx -> tx.ips().lookup("192.168.127.10")).orElseThrow();
        assertThat(released.status()).isEqualTo("available");
        assertThat(released.vmId()).isNull();
    }

    @Test
    void ensure_pool_is_idempotent() {
        for (int i = 0; i < 3; i++) {
            store.write(tx -> {
                tx.ips().ensurePool(List.of("192.168.127.50", "192.168.127.51"));
                return null;
            });
        }
        var v2 = store.read(tx -> tx.ips().list());
        assertThat(v2).extracting(IpAllocation::status).containsExactly("available", "available");
    }

    @Test
    void lease_specific_fails_the_second_time() {
        store.write(tx -> {
            tx.ips().ensurePool(List.of("192.168.127.80"));
            tx.ips().leaseSpecific("192.168.127.80");
            return null;
        });
        assertThatThrownBy(() -> store.write(tx -> {
            tx.ips().leaseSpecific("192.168.127.80");
            return null;
        })).isInstanceOf(UnavailableException.class).hasMessageContaining("no available ip addresses");
    }

    @Test
    void lease_on_an_empty_pool_fails() {
        assertThatThrownBy(() -> store.write(tx -> tx.ips().leaseNextAvailable()))
                .isInstanceOf(UnavailableException.class).hasMessage("db: no available ip addresses");
    }

    @Test
    void timestamps_parse_rfc3339_and_format_back() {
        Instant t = Timestamps.parse("2025-09-23T12:34:56Z");
        assertThat(t).isEqualTo(Instant.parse("2025-09-23T12:34:56Z"));
        assertThat(Timestamps.format(t)).isEqualTo("2025-09-23T12:34:56Z");
        assertThat(Timestamps.parse("2025-09-23 12:34:56")).isEqualTo(t);
        assertThat(Timestamps.parse("2025-09-23T12:34:56.5Z")).isEqualTo(Instant.parse("2025-09-23T12:34:56.500Z"));
    }

    @Test
    void plugin_rows_upsert_enable_and_delete() {
        store.write(tx -> {
            tx.plugins().upsert("browser", "1.0.0", true, "{\"image\":\"browser-runtime\"}");
            return null;
        });
        PluginRow first = store.read(tx -> tx.plugins().getByName("browser")).orElseThrow();
        assertThat(first.version()).isEqualTo("1.0.0");
        assertThat(first.enabled()).isTrue();
        assertThat(first.metadata()).isEqualTo("{\"image\":\"browser-runtime\"}");

        store.write(tx -> {
            tx.plugins().upsert("browser", "1.1.0", false, null);
            return null;
        });
        PluginRow second = store.read(tx -> tx.plugins().getByName("browser")).orElseThrow();
        assertThat(second.version()).isEqualTo("1.1.0");
        assertThat(second.enabled()).isFalse();
        assertThat(second.updatedAt()).isAfterOrEqualTo(second.installedAt());
        var v3 = store.read(tx -> tx.plugins().list());
        assertThat(v3).hasSize(1);

        var v4 = store.write(tx -> tx.plugins().setEnabled("browser", true));
        assertThat(v4).isTrue();
        var v5 = store.read(tx -> tx.plugins().getByName("browser")).orElseThrow().enabled();
        assertThat(v5).isTrue();
        var v6 = store.write(tx -> tx.plugins().delete("browser"));
        assertThat(v6).isTrue();
        var v7 = store.read(tx -> tx.plugins().getByName("browser"));
        assertThat(v7).isEmpty();
        var v8 = store.write(tx -> tx.plugins().setEnabled("browser", true));
        assertThat(v8).isFalse();
    }

    @Test
    void leases_go_in_numeric_order() {
        List<String> pool = new java.util.ArrayList<>();
        for (int i = 2; i <= 254; i++) {
            pool.add("192.168.127." + i);
        }
        store.write(tx -> {
            tx.ips().ensurePool(pool);
            return null;
        });
        List<String> leased = store.write(tx -> List.of(tx.ips().leaseNextAvailable(), tx.ips().leaseNextAvailable(),
                tx.ips().leaseNextAvailable()));
        assertThat(leased).containsExactly("192.168.127.2", "192.168.127.3", "192.168.127.4");
    }

    @Test
    void two_vms_without_host_ip_coexist_and_cids_are_the_lowest_free() {
        store.write(tx -> {
            for (String n : List.of("a", "b", "c")) {
                tx.vms().insert(new NewVm(n, "pending", null, "02:00:00:00:00:0" + n.charAt(0) % 10, 1, 64, "", "x", null,
                        null, tx.vms().nextFreeCid(), "running"));
            }
            return null;
        });
        var v9 = store.read(tx -> tx.vms().list());
        assertThat(v9).extracting(VmRow::vsockCid).containsExactly(3L, 4L, 5L);
        var v10 = store.read(tx -> tx.vms().list());
        assertThat(v10).extracting(VmRow::ipAddress).containsOnlyNulls();
        long b = store.read(tx -> tx.vms().getByName("b")).orElseThrow().id();
        store.write(tx -> tx.vms().delete(b));
        var v11 = store.read(tx -> tx.vms().nextFreeCid());
        assertThat(v11).isEqualTo(4L);
    }

    @Test
    void the_cached_vm_list_follows_every_committed_write() {
        assertThat(store.vmRows()).isEmpty();
        long id = store.write(tx -> tx.vms().insert(vm("c1", null, "02:00:00:00:00:07")));
        assertThat(store.vmRows()).extracting(VmRow::name).containsExactly("c1");
        store.write(tx -> {
            tx.vms().updateRuntimeState(id, "running", 7L);
            return null;
        });
        assertThat(store.vmRows()).extracting(VmRow::status).containsExactly("running");
        long g = store.write(tx -> tx.groups().create("grp", "{}", 0, null));
        store.write(tx -> {
            tx.vms().insert(new NewVm("grp-1", "running", null, "02:00:00:00:00:08", 1, 64, "", "x", g, 1, 0, "running"));
            return null;
        });
        assertThat(store.vmRows()).extracting(VmRow::groupName).containsExactly(null, "grp");
        store.write(tx -> tx.groups().delete(g));
        assertThat(store.vmRows()).extracting(VmRow::groupName).containsOnlyNulls();
        try {
            store.write(tx -> {
                tx.vms().delete(id);
                throw new IllegalStateException("rolled back");
            });
        } catch (IllegalStateException expected) {
            // the delete did not happen
        }
        assertThat(store.vmRows()).hasSize(2);
    }

    @Test
    void a_failing_transaction_leaves_nothing_behind() {
        store.write(tx -> {
            tx.ips().ensurePool(List.of("10.0.0.2"));
            return null;
        });
        assertThatThrownBy(() -> store.write(tx -> {
            String ip = tx.ips().leaseNextAvailable();
            tx.vms().insert(vm("x", ip, "02:00:00:00:00:01"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        var v12 = store.read(tx -> tx.vms().list());
        assertThat(v12).isEmpty();
        var v13 = store.read(tx -> tx.ips().lookup("10.0.0.2")).orElseThrow().status();
        assertThat(v13).isEqualTo("available");
    }

    @Test
    void sweep_drops_foreign_free_addresses_and_releases_orphan_leases() {
        store.write(tx -> {
            tx.ips().ensurePool(List.of("10.9.0.2", "192.168.127.2", "192.168.127.3"));
            tx.ips().leaseNextAvailable(); // orphan lease without VM
            return null;
        });
        store.write(tx -> {
            tx.ips().sweep(Set.of("192.168.127.2", "192.168.127.3"));
            return null;
        });
        var v14 = store.read(tx -> tx.ips().list());
        assertThat(v14).extracting(IpAllocation::ipAddress, IpAllocation::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("192.168.127.2", "available"),
                        org.assertj.core.groups.Tuple.tuple("192.168.127.3", "available"));
    }

    @Test
    void config_versions_and_history_are_kept_newest_first() {
        long id = store.write(tx -> tx.vms().insert(vm("vm-c", null, "02:00:00:00:00:09")));
        store.write(tx -> tx.configs().upsert(id, "{\"v\":1}"));
        int v2 = store.write(tx -> tx.configs().upsert(id, "{\"v\":2}"));
        assertThat(v2).isEqualTo(2);
        var v15 = store.read(tx -> tx.configs().get(id)).orElseThrow().configJson();
        assertThat(v15).isEqualTo("{\"v\":2}");
        var v16 = store.read(tx -> tx.configs().history(id, 0));
        assertThat(v16).extracting(ConfigRow::version).containsExactly(2, 1);
        var v17 = store.read(tx -> tx.configs().history(id, 1));
        assertThat(v17).extracting(ConfigRow::version).containsExactly(2);
        store.write(tx -> tx.vms().delete(id));
        var v18 = store.read(tx -> tx.configs().history(id, 0));
        assertThat(v18).isEmpty();
    }

    @Test
    void migrations_record_upstream_versions_and_the_chosen_ones() throws Exception {
        store.close();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sub/state.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, description FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank")) {
            List<String> applied = new java.util.ArrayList<>();
            while (rs.next()) {
                applied.add(rs.getString(1) + " " + rs.getString(2));
            }
            assertThat(applied).startsWith("1 initial schema", "2 add runtime to vms", "3 add plugins table extensions",
                    "4 add vm console columns", "5 add vm configs", "6 add vm groups", "7 add plugin artifacts",
                    "8 add vsock cid to vms", "9 chosen core", "10 ip lease order", "11 ip allocations vm index");
        }
        store = Store.open(dir.resolve("sub/state.db")); // reopening applies nothing new
    }

    @Test
    void a_database_written_by_upstream_is_migrated_from_its_version() throws Exception {
        Path db = dir.resolve("upstream.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String f : List.of("V1__initial_schema.sql", "V2__add_runtime_to_vms.sql",
                    "V3__add_plugins_table_extensions.sql", "V4__add_vm_console_columns.sql", "V5__add_vm_configs.sql",
                    "V6__add_vm_groups.sql", "V7__add_plugin_artifacts.sql", "V8__add_vsock_cid_to_vms.sql")) {
                String sql = new String(getClass().getResourceAsStream("/io/volant/volantd/store/migration/" + f).readAllBytes());
                for (String stmt : sql.split(";")) {
                    String body = stmt.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b);
                    if (!body.isBlank()) {
                        s.execute(body);
                    }
                }
                s.execute("INSERT INTO schema_migrations (version, name) VALUES (" + f.substring(1, f.indexOf("__")) + ", 'x')");
            }
            s.execute("INSERT INTO vms (name, status, ip_address, mac_address, cpu_cores, memory_mb) VALUES ('old', 'running', '', '02:00:00:00:00:01', 1, 64)");
        }
        try (Store up = Store.open(db)) {
            VmRow old = up.read(tx -> tx.vms().getByName("old")).orElseThrow();
            assertThat(old.ipAddress()).isNull();
            assertThat(old.desiredState()).isEqualTo("running");
        }
    }
}
