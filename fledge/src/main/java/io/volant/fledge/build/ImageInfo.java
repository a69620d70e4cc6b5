package io.volant.fledge.build;

import java.util.List;
import java.util.Map;

/** What an OCI image config says about its workload (§4.9 config extraction, §7 F12). */
public record ImageInfo(String image, String digest, List<String> entrypoint, Map<String, String> env,
                        String workdir, int port) {
    public static final ImageInfo NONE = new ImageInfo("", "", List.of(), Map.of(), "", 0);
}
