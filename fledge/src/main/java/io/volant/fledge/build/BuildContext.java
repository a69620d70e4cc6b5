package io.volant.fledge.build;

import io.volant.fledge.config.FledgeConfig;
import io.volant.fledge.config.ManifestTemplate;
import io.volant.fledge.util.CommandRunner;
import io.volant.fledge.util.HttpFetcher;
import io.volant.fledge.util.Log;
import io.volant.fledge.util.TempDirs;
import java.nio.file.Path;
import java.util.Map;

/** Everything one build needs; {@code workDir} is where relative host paths resolve (the config's directory). */
public record BuildContext(
        FledgeConfig config,
        ManifestTemplate template,
        Path workDir,
        Path output,
        TempDirs temps,
        Log log,
        CommandRunner runner,
        HttpFetcher http,
        Installation installation,
        Map<String, String> env) {}
