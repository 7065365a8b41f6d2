package dev.recon.report;

/** A small HTML writer that escapes text. */
final class Html {
    private final StringBuilder sb = new StringBuilder(1 << 16);

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    void raw(String s) {
        sb.append(s);
    }

    void tag(String tag, String text) {
        sb.append('<').append(tag).append('>').append(esc(text)).append("</").append(tag).append(">\n");
    }

    void p(String text) {
        tag("p", text);
    }

    void img(String dataUri, String alt) {
        sb.append("<img src=\"").append(dataUri).append("\" alt=\"").append(esc(alt)).append("\" width=\"")
                .append(Charts.WIDTH).append("\" height=\"").append(Charts.HEIGHT).append("\">\n");
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
