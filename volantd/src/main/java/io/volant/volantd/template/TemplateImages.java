package io.volant.volantd.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.hypervisor.template.TemplateImage;
import io.volant.volantd.store.TemplateRow;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A template row's {@code image_json}: the saved {@link TemplateImage} (files, launch spec) as JSON. */
final class TemplateImages {
    private static final Logger log = LoggerFactory.getLogger(TemplateImages.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private TemplateImages() {}

    /** The row's image; empty (logged) when the row has none or it cannot be read. */
    static Optional<TemplateImage> decode(TemplateRow r) {
        if (r.imageJson() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(r.imageJson(), TemplateImage.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            log.warn("template row unreadable template={} error={}", r.name(), e.getMessage());
            return Optional.empty();
        }
    }

    static String encode(TemplateImage image) {
        try {
            return JSON.writeValueAsString(image);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("template image not serializable: " + e.getMessage(), e);
        }
    }
}
