package io.volant.kestrel.identity;

import io.volant.kestrel.Log;
import io.volant.kestrel.boot.Cmdline;
import io.volant.kestrel.net.IpToken;
import io.volant.kestrel.net.NetLink;
import io.volant.kestrel.sys.GuestKernel;
import io.volant.kestrel.time.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The guest side of a template (kernel argument {@code volant.template=1}): prepare what every clone would otherwise
 * pay for after resume ({@link Preparer}), announce {@code warm}, wait for an
 * identity, apply it, answer {@code applied} or {@code failed}. Runs in the template, is frozen with it while it
 * waits, and finishes in each clone after resume. After the identity, a clock exchange ({@link #TIME_SAMPLES} time
 * requests, Cristian's algorithm: the answer with the shortest round trip wins). Apply order: reseed the kernel RNG,
 * set the wall clock (the host's answer plus half its round trip plus the time since it arrived), the MAC, the
 * hostname, then the cold-boot configuration path on the identity's command line (network, manifest, workload). A line that does not decode is answered with {@code failed} and the wait goes on; a failed apply is
 * final: kestrel keeps serving without a workload and the host destroys the clone.
 */
public final class TemplateMode {
    /** The cold-boot configuration of a command line; throws when it cannot be applied (e.g. a bad manifest). */
    @FunctionalInterface
    public interface Configurator {
        void configure(Cmdline cmdline) throws Exception;
    }

    /**
     * Identity-free work for the template to do before it announces {@code warm} (docs/kestrel.md, "Template
     * mode"): whatever runs in every clone after resume and does not depend on the identity, done once here so the
     * clones inherit it (classes loaded, code compiled, processes spawned once, the loopback up).
     */
    @FunctionalInterface
    public interface Preparer {
        void prepare() throws Exception;
    }

    private final IdentityPort port;
    private final GuestKernel kernel;
    private final Optional<? extends NetLink> link;
    private final Path hostnameFile;
    private final Configurator coldPath;
    private final Preparer preparer;
    private final Clock clock;
    private final Log log;
    private final IdentityCodec codec = new IdentityCodec();
    /** How often {@code warm} is repeated on a port that cannot see the host end. */
    static final Duration WARM_REPEAT = Duration.ofSeconds(1);
    /** Time requests per identity; the first one may still pay for the resumed guest being scheduled. */
    static final int TIME_SAMPLES = 3;
    /** How long one time request waits for its answer before the exchange ends with the samples it has. */
    static final Duration TIME_WAIT = Duration.ofSeconds(2);
    private final Duration timeWait;

    /**
     * The host's wall clock {@code hostUnixMs} as answered after a round trip of {@code rttNanos}, the answer
     * arriving at {@code receivedNanos} ({@link Clock#nanos()}).
     */
    record TimeSample(long hostUnixMs, long rttNanos, long receivedNanos) {
        /** The host's wall clock at {@code nowNanos}: it answered about half a round trip before its answer came. */
        long hostTimeAt(long nowNanos) {
            return hostUnixMs + (rttNanos / 2 + nowNanos - receivedNanos) / 1_000_000;
        }
    }

    public TemplateMode(IdentityPort port, GuestKernel kernel, Optional<? extends NetLink> link, Path hostnameFile,
                        Configurator coldPath, Preparer preparer, Clock clock, Log log) {
        this(port, kernel, link, hostnameFile, coldPath, preparer, clock, log, TIME_WAIT);
    }

    TemplateMode(IdentityPort port, GuestKernel kernel, Optional<? extends NetLink> link, Path hostnameFile,
                 Configurator coldPath, Preparer preparer, Clock clock, Log log, Duration timeWait) {
        this.preparer = preparer;
        this.timeWait = timeWait;
        this.port = port;
        this.kernel = kernel;
        this.link = link;
        this.hostnameFile = hostnameFile;
        this.coldPath = coldPath;
        this.clock = clock;
        this.log = log;
    }

    /**
     * Blocks until an identity has been applied (true) or its application failed (false).
     *
     * @throws IOException when the port itself fails
     */
    public boolean run() throws IOException, InterruptedException {
        prepare();
        port.awaitHost();
        String warm = codec.encode(new IdentityMessage.Warm());
        log.info("template warm", "port", VirtioIdentityPort.NAME);
        port.writeLine(warm);
        CountDownLatch heard = new CountDownLatch(1);
        if (!port.hostVisible()) {
            Thread.ofPlatform().daemon().name("kestrel-warm").start(() -> repeat(warm, heard));
        }
        LineReader lines = new LineReader(port, clock);
        while (true) {
            IdentityMessage m;
            long received;
            try {
                String line = lines.next();
                received = clock.nanos();
                heard.countDown();
                m = codec.decode(line);
            } catch (IllegalArgumentException e) {
                log.info("identity message rejected", "error", e.getMessage());
                port.writeLine(codec.encode(new IdentityMessage.Failed(e.getMessage())));
                continue;
            }
            if (!(m instanceof IdentityMessage.Identity id)) {
                log.info("identity message ignored", "type", m.getClass().getSimpleName());
                continue;
            }
            StringBuilder steps = new StringBuilder("time:");
            long timeStart = clock.nanos();
            TimeSample time = exchangeTime(lines, new TimeSample(id.timeUnixMs(), 0, received));
            steps.append((clock.nanos() - timeStart) / 1_000_000);
            try {
                apply(id, time, steps);
            } catch (StepFailed e) {
                log.info("identity failed", "step", e.step, "error", e.getMessage());
                port.writeLine(codec.encode(new IdentityMessage.Failed(e.step + ": " + e.getMessage())));
                return false;
            }
            port.writeLine(codec.encode(new IdentityMessage.Applied()));
            log.info("identity applied", "hostname", id.hostname(), "mac", id.mac(),
                    "ms", (clock.nanos() - received) / 1_000_000, "steps_ms", steps);
            return true;
        }
    }

    /**
     * The kernel's and the {@link Preparer}'s identity-free work; a failure is logged and costs only time (each clone
     * then pays for that step after resume).
     */
    private void prepare() {
        long start = clock.nanos();
        try {
            kernel.prepare();
        } catch (IOException | RuntimeException e) {
            log.info("template preparation step failed", "step", "kernel", "error", e.getMessage());
        }
        try {
            rehearseCodec();
        } catch (RuntimeException e) {
            log.info("template preparation step failed", "step", "codec", "error", e.getMessage());
        }
        try {
            preparer.prepare();
        } catch (Exception e) {
            log.info("template preparation step failed", "step", "agent", "error", e.getMessage());
        }
        log.info("template prepared", "ms", (clock.nanos() - start) / 1_000_000);
    }

    /** Encodes and decodes one of every message a clone handles and parses a command line, as a clone will. */
    private void rehearseCodec() {
        String cmdline = "ip=10.0.0.2::10.0.0.1:255.255.255.0:rehearsal:eth0:off";
        long time = 1_765_000_000_000L;
        for (IdentityMessage m : List.of(new IdentityMessage.Identity(cmdline, "52:54:00:00:00:01", "rehearsal", time,
                        new byte[IdentityCodec.ENTROPY_BYTES]), new IdentityMessage.TimeRequest(1),
                new IdentityMessage.Time(1, time), new IdentityMessage.Applied(), new IdentityMessage.Failed("x"))) {
            codec.decode(codec.encode(m));
        }
        device(Cmdline.parse(cmdline));
    }

    /**
     * Sends up to {@link #TIME_SAMPLES} time requests, one at a time, and returns the answer with the shortest round
     * trip; {@code fallback} (the identity's own time) when none was answered within {@link #timeWait}. Lines that
     * are not the awaited answer (a late answer, a bad line) are skipped.
     */
    private TimeSample exchangeTime(LineReader lines, TimeSample fallback) throws IOException, InterruptedException {
        TimeSample best = null;
        int answered = 0;
        for (long seq = 1; seq <= TIME_SAMPLES; seq++) {
            long sent = clock.nanos();
            port.writeLine(codec.encode(new IdentityMessage.TimeRequest(seq)));
            TimeSample s = awaitTime(lines, seq, sent);
            if (s == null) {
                break;
            }
            answered++;
            if (best == null || s.rttNanos() < best.rttNanos()) {
                best = s;
            }
        }
        if (best == null) {
            log.info("time exchange unanswered, using the identity's time", "waited_ms", timeWait.toMillis());
            return fallback;
        }
        log.info("time exchange", "samples", answered, "rtt_ms", best.rttNanos() / 1_000_000);
        return best;
    }

    /** The answer to time request {@code seq} sent at {@code sent}, or null when none came within the wait. */
    private TimeSample awaitTime(LineReader lines, long seq, long sent) throws IOException, InterruptedException {
        long deadline = sent + timeWait.toNanos();
        while (true) {
            long left = deadline - clock.nanos();
            if (left <= 0) {
                return null;
            }
            Optional<String> line;
            try {
                line = lines.next(Duration.ofNanos(left));
            } catch (IllegalArgumentException e) {
                continue; // an over-long line, already skipped
            }
            if (line.isEmpty()) {
                return null;
            }
            long received = clock.nanos();
            try {
                if (codec.decode(line.get()) instanceof IdentityMessage.Time t && t.seq() == seq) {
                    return new TimeSample(t.timeUnixMs(), received - sent, received);
                }
            } catch (IllegalArgumentException e) {
                log.info("time answer rejected", "error", e.getMessage());
            }
        }
    }

    /** Re-sends {@code warm} every {@link #WARM_REPEAT} until the host's first line arrived. */
    private void repeat(String warm, CountDownLatch heard) {
        try {
            while (heard.getCount() > 0) {
                clock.sleep(WARM_REPEAT);
                if (heard.getCount() > 0) {
                    port.writeLine(warm);
                }
            }
        } catch (IOException | InterruptedException e) {
            // the reader reports port failures; nothing more to announce
        }
    }

    /**
     * Applies the identity's steps in order, appending {@code ,<step>:<ms>} for each to {@code steps}. Plain code, no
     * lambdas: this runs for the first time in a clone, where every new call site spun at run time (a lambda, a string
     * concatenation) costs milliseconds of an emulated CPU; the template cannot rehearse it.
     */
    private void apply(IdentityMessage.Identity id, TimeSample time, StringBuilder steps) throws StepFailed {
        Cmdline cmdline = Cmdline.parse(id.cmdline());
        String device = device(cmdline);
        String step = "entropy";
        long start = clock.nanos();
        try {
            kernel.reseedRandom(id.entropy());
            start = lap(steps, step, start);
            // Add what the guest has spent since the host's time arrived (decoding, the reseed; hundreds of ms in an
            // emulated CPU on a loaded host) so the clock is not set behind.
            step = "clock";
            kernel.setWallClock(time.hostTimeAt(clock.nanos()));
            start = lap(steps, step, start);
            step = "mac";
            if (link.isEmpty()) {
                throw new IOException("no way to configure links in this image");
            }
            link.get().setMac(device, id.mac());
            start = lap(steps, step, start);
            step = "hostname";
            Files.writeString(hostnameFile, id.hostname(), StandardCharsets.UTF_8);
            start = lap(steps, step, start);
            step = "configure";
            coldPath.configure(cmdline);
            lap(steps, step, start);
        } catch (Exception e) {
            throw new StepFailed(step, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The link the {@code ip=} token names, {@code eth0} without one. The rehearsal runs it too (its call sites). */
    private static String device(Cmdline cmdline) {
        return cmdline.value("ip").flatMap(IpToken::parse).map(IpToken::device).orElse("eth0");
    }

    /** Appends {@code ,<step>:<ms since start>} to {@code steps}; the time now. */
    private long lap(StringBuilder steps, String step, long start) {
        long now = clock.nanos();
        steps.append(',').append(step).append(':').append((now - start) / 1_000_000);
        return now;
    }

    /** A failed apply step, named. */
    private static final class StepFailed extends Exception {
        final String step;

        StepFailed(String step, String message) {
            super(message, null, false, false);
            this.step = step;
        }
    }
}
