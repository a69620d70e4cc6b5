package io.volant.manifest;

/** TEMPORARY stand-in (see package-info). */
public record CloudInit(String datasource, String seedMode, CloudInitDoc userData, CloudInitDoc metaData,
                        CloudInitDoc networkConfig) {
    public CloudInit {
        datasource = Manifest.s(datasource);
        seedMode = Manifest.s(seedMode);
        userData = userData == null ? new CloudInitDoc(false, "", "") : userData;
        metaData = metaData == null ? new CloudInitDoc(false, "", "") : metaData;
        networkConfig = networkConfig == null ? new CloudInitDoc(false, "", "") : networkConfig;
    }
}
