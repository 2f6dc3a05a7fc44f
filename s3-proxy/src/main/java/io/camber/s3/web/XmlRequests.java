package io.camber.s3.web;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

/** Parses the small XML bodies S3 requests carry, with DTDs and external entities off (no XXE). */
final class XmlRequests {
    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    private XmlRequests() {
    }

    /** A DeleteObjects body: the keys and whether the answer lists only failures (Quiet). */
    record Delete(List<String> keys, boolean quiet) {
    }

    static Delete delete(byte[] body) {
        List<String> keys = new ArrayList<>();
        boolean quiet = false;
        boolean sawRoot = false;
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            StringBuilder text = new StringBuilder();
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    sawRoot |= r.getLocalName().equals("Delete");
                    text.setLength(0);
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    text.append(r.getText());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if ("Key".equals(r.getLocalName())) {
                        keys.add(text.toString());
                    } else if ("Quiet".equals(r.getLocalName())) {
                        quiet = Boolean.parseBoolean(text.toString().strip());
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new S3Exception(S3Error.MALFORMED_XML, "the Delete document is not well-formed XML: "
                    + e.getMessage());
        }
        if (!sawRoot || keys.isEmpty()) {
            throw new S3Exception(S3Error.MALFORMED_XML, "the body must be a <Delete> document with at least one "
                    + "<Object><Key>");
        }
        if (keys.size() > 1000) {
            throw new S3Exception(S3Error.MALFORMED_XML, "a DeleteObjects request may name at most 1000 keys, this "
                    + "one names " + keys.size());
        }
        return new Delete(keys, quiet);
    }

    /** A part a CompleteMultipartUpload names: its number and the ETag its upload answered (quotes removed). */
    record CompletedPart(int number, String etag) {
    }

    static List<CompletedPart> complete(byte[] body) {
        List<CompletedPart> parts = new ArrayList<>();
        boolean sawRoot = false;
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            StringBuilder text = new StringBuilder();
            Integer number = null;
            String etag = null;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    sawRoot |= r.getLocalName().equals("CompleteMultipartUpload");
                    text.setLength(0);
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    text.append(r.getText());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    switch (r.getLocalName()) {
                        case "PartNumber" -> number = Integer.valueOf(text.toString().strip());
                        case "ETag" -> etag = text.toString().strip().replace("\"", "").replace("&quot;", "");
                        case "Part" -> {
                            if (number == null || etag == null) {
                                throw new S3Exception(S3Error.MALFORMED_XML, "each <Part> needs a <PartNumber> and "
                                        + "an <ETag>");
                            }
                            parts.add(new CompletedPart(number, etag));
                            number = null;
                            etag = null;
                        }
                        default -> {
                        }
                    }
                }
            }
        } catch (XMLStreamException | NumberFormatException e) {
            throw new S3Exception(S3Error.MALFORMED_XML, "the CompleteMultipartUpload document is not valid: "
                    + e.getMessage());
        }
        if (!sawRoot || parts.isEmpty()) {
            throw new S3Exception(S3Error.MALFORMED_XML, "the body must be a <CompleteMultipartUpload> naming at "
                    + "least one <Part>");
        }
        return parts;
    }
}
