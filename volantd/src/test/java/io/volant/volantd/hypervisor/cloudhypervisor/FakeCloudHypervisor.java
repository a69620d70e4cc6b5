package io.volant.volantd.hypervisor.cloudhypervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake {@code cloud-hypervisor} for snapshot/restore tests: records every argv (runs separated by {@code ---});
 * socat answers each API request 204, or 500 while a knob file {@code fail-<action>} exists, records request line
 * and body, and writes the snapshot files {@code vm.snapshot} names ({@code config.json} is a copy of
 * {@link #snapshotConfig()} when that exists). With {@code --console socket=…} (a template) or a restore whose
 * config names a console socket (a clone), a fake guest serves that socket: a template says {@code warm}, a clone
 * records the identity line and answers {@code applied} (or {@code failed} while {@code fail-identity} exists).
 * SIGTERM ends every process it started (its process group: launchers start hypervisors in their own session).
 */
final class FakeCloudHypervisor {
    private final Path dir;

    FakeCloudHypervisor(Path dir) throws IOException {
        this.dir = dir;
        write("handler", """
                #!/bin/bash
                read -r line; line=${line%%$'\\r'}
                len=0
                while read -r h; do h=${h%%$'\\r'}; [ -z "$h" ] && break
                  case "$h" in Content-Length:*) len=${h#Content-Length: } ;; esac; done
                body=""; [ "$len" -gt 0 ] && body=$(head -c "$len")
                echo "$line $body" >> '%1$s/requests'
                action=${line#PUT /api/v1/}; action=${action%% *}
                if [ -e "%1$s/fail-$action" ]; then printf 'HTTP/1.1 500 Internal Server Error\\r\\n\\r\\n'; exit 0; fi
                if [ "$action" = vm.snapshot ]; then
                  d=$(echo "$body" | sed 's|.*file://\\([^"]*\\)".*|\\1|')
                  for f in config.json state.json memory-ranges; do echo "$f of web" > "$d/$f"; done
                  [ -e '%1$s/snapshot-config.json' ] && cp '%1$s/snapshot-config.json' "$d/config.json"
                fi
                printf 'HTTP/1.1 204 No Content\\r\\n\\r\\n'
                """);
        write("guest", """
                #!/bin/bash
                if [ "$1" = template ]; then echo '{"type":"warm"}'; cat > /dev/null; exit 0; fi
                read -r line; echo "$line" >> '%1$s/identity'
                if [ -e '%1$s/fail-identity' ]; then echo '{"type":"failed","error":"no eth0"}'
                else echo '{"type":"applied"}'; fi
                cat > /dev/null
                """);
        write("cloud-hypervisor", """
                #!/bin/bash
                # First thing, a stop may come at any moment: the whole process group (its own session) goes.
                trap 'trap "" TERM; kill -TERM 0; exit 0' TERM
                printf '%%s\\n' "$@" >> '%1$s/argv'
                echo --- >> '%1$s/argv'
                while [ $# -gt 0 ]; do case "$1" in
                  --api-socket) sock=${2#path=}; shift ;;
                  --console) ident=${2#socket=}; [ "$ident" = "$2" ] && ident=""; shift ;;
                  --restore) src=${2#source_url=file://}; shift ;;
                  esac; shift; done
                mode=template
                if [ -n "$src" ]; then
                  mode=clone
                  ident=$(grep -o '"console":{[^}]*}' "$src/config.json" | sed -n 's/.*"socket":"\\([^"]*\\)".*/\\1/p')
                fi
                # The API listens before the guest can say anything, as in the real CH.
                socat UNIX-LISTEN:"$sock",fork EXEC:'%1$s/handler' &
                while [ ! -S "$sock" ]; do sleep 0.05; done
                if [ -n "$ident" ]; then socat UNIX-LISTEN:"$ident",fork EXEC:"%1$s/guest $mode" & fi
                wait
                """);
    }

    private void write(String name, String script) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, script.formatted(dir));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Path bin() {
        return dir.resolve("cloud-hypervisor");
    }

    /** {@code config.json} of the next snapshots. */
    Path snapshotConfig() {
        return dir.resolve("snapshot-config.json");
    }

    /** Makes {@code action} ({@code vm.snapshot}, {@code identity}, …) fail until the test ends. */
    void fail(String action) throws IOException {
        Files.writeString(dir.resolve("fail-" + action), "");
    }

    /** Request line and body of every API call so far. */
    List<String> requests() throws IOException {
        Path f = dir.resolve("requests");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    void forgetRequests() throws IOException {
        Files.deleteIfExists(dir.resolve("requests"));
    }

    /** The identity lines clones received. */
    List<String> identities() throws IOException {
        Path f = dir.resolve("identity");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    /** The argv of each run, in order. */
    List<List<String>> runs() throws IOException {
        Path f = dir.resolve("argv");
        List<List<String>> runs = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String l : Files.exists(f) ? Files.readAllLines(f) : List.<String>of()) {
            if (l.equals("---")) {
                runs.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(l);
            }
        }
        return runs;
    }
}
