package io.volant.fledge.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileModesTest {
    @Test
    void ac_m1_a_directory_source_is_0755_regardless_of_destination() {
        assertThat(FileModes.determine("/etc/conf.d", true, 0700)).isEqualTo(0755);
        assertThat(FileModes.determine("/bin/x", true, 0644)).isEqualTo(0755);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/myapp", "/sbin/daemon", "/usr/bin/tool", "/usr/sbin/admin", "/usr/local/bin/custom",
            "/usr/local/sbin/service", "/opt/bin/vendor-tool"})
    void ac_m2_a_0644_file_in_an_executable_dir_gets_0755(String dest) {
        assertThat(FileModes.determine(dest, false, 0644)).isEqualTo(0755);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/config.yml", "/var/log/app.log", "/usr/share/doc/README.md", "/home/user/data.txt"})
    void ac_m3_a_0644_file_elsewhere_stays_0644(String dest) {
        assertThat(FileModes.determine(dest, false, 0644)).isEqualTo(0644);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/lib/libc.so", "/lib/libc.so.6", "/lib64/libm.so.6", "/usr/lib/libssl.so",
            "/usr/lib64/libcrypto.so.1.1", "/usr/local/lib/libcustom.so"})
    void ac_m4_a_0644_shared_library_gets_0755(String dest) {
        assertThat(FileModes.determine(dest, false, 0644)).isEqualTo(0755);
    }

    @Test
    void ac_m5_an_executable_source_keeps_an_execute_bit_anywhere() {
        assertThat(FileModes.determine("/home/user/script.sh", false, 0755) & 0111).isNotZero();
    }

    @ParameterizedTest
    @CsvSource({"/bin/ls,true", "/sbin/init,true", "/usr/bin/vim,true", "/usr/sbin/sshd,true",
            "/usr/local/bin/app,true", "/opt/bin/tool,true", "/etc/config,false", "/var/log/file,false",
            "/home/user/bin/script,false"})
    void ac_m6_executable_dir_predicate(String path, boolean expected) {
        assertThat(FileModes.isExecutableDir(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"/lib/libc.so,true", "/lib/libc.so.6,true", "/lib64/libm.so,true", "/usr/lib/libssl.so.1.1,true",
            "/lib/notso.txt,false", "/etc/lib/config,false", "/usr/lib/LIBX.SO,true"})
    void ac_m7_library_predicate(String path, boolean expected) {
        assertThat(FileModes.isLibrary(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0755,0755", "0744,0755", "0700,0700", "0644,0644", "0750,0750", "0711,0711"})
    void ac_m14_executable_mode_normalization(String in, String out) {
        assertThat(FileModes.normalizeExecutable(Integer.parseInt(in, 8))).isEqualTo(Integer.parseInt(out, 8));
    }
}
