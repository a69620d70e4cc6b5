package io.volant.volantd.plugin;

/** Body of {@code POST /api/v1/plugins/{plugin}/artifacts}; strings are trimmed by the registry. */
public record ArtifactInput(String version, String artifactName, String kind, String sourceUrl, String checksum,
                            String format, String localPath, long sizeBytes) {
    public ArtifactInput {
        version = version == null ? "" : version;
        artifactName = artifactName == null ? "" : artifactName;
        kind = kind == null ? "" : kind;
        sourceUrl = sourceUrl == null ? "" : sourceUrl;
        checksum = checksum == null ? "" : checksum;
        format = format == null ? "" : format;
        localPath = localPath == null ? "" : localPath;
    }
}
