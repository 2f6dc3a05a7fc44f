package io.camber.s3.web;

/**
 * Builds the XML documents S3 answers with. The documents are small and flat (listings are capped at 1,000
 * entries), so a writer that escapes text is all they need; requests are parsed by {@link XmlRequests}.
 */
public final class Xml {
    public static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    private final StringBuilder out = new StringBuilder(256).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

    /** Opens the root element in the S3 namespace. */
    public static Xml document(String root) {
        Xml x = new Xml();
        x.out.append('<').append(root).append(" xmlns=\"").append(S3_NAMESPACE).append("\">");
        return x;
    }

    /** A document whose root carries no namespace (error documents). */
    public static Xml plain(String root) {
        Xml x = new Xml();
        x.out.append('<').append(root).append('>');
        return x;
    }

    public Xml open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    public Xml close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    /** An element with text; nothing at all when value is null. */
    public Xml element(String name, Object value) {
        if (value == null) {
            return this;
        }
        out.append('<').append(name).append('>');
        escape(String.valueOf(value));
        return close(name);
    }

    /** Escaped text inside the element opened last (a root that holds only text, as LocationConstraint). */
    public Xml text(String value) {
        escape(value);
        return this;
    }

    public String end(String root) {
        return close(root).out.toString();
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    // XML 1.0 cannot carry most control characters even escaped; S3 answers them as numeric
                    // references, which parsers of XML 1.0 documents accept from S3 in practice.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
