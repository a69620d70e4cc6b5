package io.volant.fledge.cli;

/**
 * The build's version stamp, filtered by Maven into {@code target/generated-sources/build-info} (fledge/pom.xml). A
 * class, not a resource: reading a resource opens {@code fledge.jar}, which {@code fledge --version} otherwise never
 * does (every class it needs comes from the AOT cache). Placeholders left unfiltered count as unset. Methods, not
 * constants, so that javac does not copy a stale stamp into the classes that read it.
 */
final class BuildInfo {
    private BuildInfo() {}

    static String version() {
        return "${project.version}";
    }

    static String buildDate() {
        return "${maven.build.timestamp}";
    }

    static String gitCommit() {
        return "${fledge.git.commit}";
    }
}
