package mastodon.s3sync.copy;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The styles Mastodon writes besides {@code original} for each kind of attachment, with their extension and
 * Content-Type (facts: Mastodon's models and paperclip processors; see {@link MastodonKeys}).
 */
final class MastodonStyles {

    static final String PNG = "image/png";
    static final String JPEG = "image/jpeg";

    // MediaAttachment's MIME lists (Mastodon 4.x, app/models/media_attachment.rb)
    private static final Set<String> IMAGE_MIME_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/heic",
            "image/heif", "image/webp", "image/avif");
    private static final Set<String> IMAGE_CONVERTIBLE_MIME_TYPES = Set.of("image/heic", "image/heif", "image/avif");
    private static final Set<String> VIDEO_MIME_TYPES = Set.of("video/webm", "video/mp4", "video/quicktime",
            "video/ogg");

    /**
     * A style other than {@code original}.
     *
     * @param extension   the extension of its key (null: the original's)
     * @param contentType the type Mastodon writes it with (null: the row's)
     */
    record Style(String name, String extension, String contentType) {
    }

    static final List<Style> NONE = List.of();
    private static final List<Style> SMALL = List.of(new Style("small", null, null));
    private static final List<Style> SMALL_PNG = List.of(new Style("small", "png", PNG));
    private static final List<Style> SMALL_JPEG = List.of(new Style("small", "jpeg", JPEG));
    /** A non-animated GIF: the transcoder returns the file untouched, so its png-named small holds GIF bytes. */
    private static final List<Style> SMALL_GIF_AS_PNG = List.of(new Style("small", "png", "image/gif"));
    static final List<Style> STATIC_PNG = List.of(new Style("static", "png", PNG));

    private MastodonStyles() {
    }

    /**
     * The styles of a media file besides {@code original}, by its content type and Mastodon's MIME lists
     * ({@code MediaAttachment#file_styles}): images have a {@code small} (png-named but GIF bytes for a
     * non-animated GIF, jpeg for converted HEIC/HEIF/AVIF), videos a png {@code small}; audio, {@code video/x-ms-asf}
     * (an audio type to Mastodon) and anything else only the original.
     */
    static List<Style> media(String contentType) {
        String type = lower(contentType);
        if (type.equals("image/gif")) {
            return SMALL_GIF_AS_PNG;
        }
        if (VIDEO_MIME_TYPES.contains(type)) {
            return SMALL_PNG;
        }
        if (IMAGE_CONVERTIBLE_MIME_TYPES.contains(type)) {
            return SMALL_JPEG;
        }
        return IMAGE_MIME_TYPES.contains(type) ? SMALL : NONE;
    }

    /** Avatars and headers: a png {@code static} only for gifs. */
    static List<Style> gifStatic(String contentType) {
        return lower(contentType).equals("image/gif") ? STATIC_PNG : NONE;
    }

    /** The png styles of a site upload, chosen by its {@code var}. */
    static List<Style> siteUpload(String var) {
        List<String> names = switch (var == null ? "" : var) {
            case "thumbnail" -> List.of("@1x", "@2x");
            case "favicon" -> List.of("16", "32", "48");
            case "app_icon" -> List.of("36", "48", "57", "60", "72", "76", "96", "114", "120", "144", "152", "167",
                    "180", "192", "256", "384", "512", "1024");
            default -> List.of();
        };
        return names.stream().map(name -> new Style(name, "png", PNG)).toList();
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
