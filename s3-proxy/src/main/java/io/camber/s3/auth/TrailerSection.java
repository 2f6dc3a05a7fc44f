package io.camber.s3.auth;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The trailing headers after the last {@code aws-chunked} chunk, checked once the closing empty line arrives. */
final class TrailerSection {

    static final String SIGNATURE = "x-amz-trailer-signature";
    private static final int MAX_TRAILERS = 8;

    private final PayloadMode mode;
    private final ChecksumAlgorithm declared;
    private final Map<String, String> trailers = new TreeMap<>();

    TrailerSection(PayloadMode mode, ChecksumAlgorithm declared) {
        this.mode = mode;
        this.declared = declared;
    }

    void add(String line) {
        if (!mode.hasTrailer()) {
            throw new S3AuthException(S3AuthError.INVALID_REQUEST, "The final chunk must be followed by an empty"
                    + " line: trailing headers need a *-TRAILER x-amz-content-sha256");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw malformed("a trailing header line has no name:value form");
        }
        String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).strip();
        if (trailers.put(name, value) != null || trailers.size() > MAX_TRAILERS) {
            throw malformed("trailing header " + name + " is repeated, or there are too many trailing headers");
        }
    }

    /** Checks the trailer signature (signed mode) and the declared checksum against the decoded bytes. */
    void verify(ChunkSignatureChain chain, RunningChecksum computed) {
        if (!mode.hasTrailer()) {
            return;
        }
        String checksumName = declared.headerName();
        for (String name : trailers.keySet()) {
            if (!name.equals(checksumName) && !name.equals(SIGNATURE)) {
                throw malformed("unexpected trailing header " + name + "; x-amz-trailer declared " + checksumName);
            }
        }
        String provided = trailers.get(checksumName);
        if (provided == null) {
            throw malformed("the body ends without the " + checksumName + " trailer that x-amz-trailer declared");
        }
        if (mode.signsChunks()) {
            String signature = trailers.get(SIGNATURE);
            if (signature == null) {
                throw new S3AuthException(S3AuthError.SIGNATURE_DOES_NOT_MATCH,
                        "The body ends without x-amz-trailer-signature, which signed trailers require");
            }
            StringBuilder canonical = new StringBuilder();
            trailers.forEach((name, value) -> {
                if (!name.equals(SIGNATURE)) {
                    canonical.append(name).append(':');
                    CanonicalRequest.appendValues(canonical, List.of(value));
                    canonical.append('\n');
                }
            });
            chain.verifyTrailer(signature, canonical.toString());
        } else if (trailers.containsKey(SIGNATURE)) {
            throw malformed("x-amz-trailer-signature is only allowed with STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
        }
        checkChecksum(declared, provided, computed.value());
    }

    /** Compares a base64 checksum as sent with the computed bytes (InvalidRequest if unreadable, BadDigest if not equal). */
    static void checkChecksum(ChecksumAlgorithm algorithm, String providedBase64, byte[] computed) {
        byte[] provided;
        try {
            provided = Base64.getDecoder().decode(providedBase64.strip());
        } catch (IllegalArgumentException e) {
            provided = null;
        }
        if (provided == null || provided.length != computed.length) {
            throw new S3AuthException(S3AuthError.INVALID_REQUEST, "Value for " + algorithm.headerName()
                    + " is invalid: expected the base64 of " + computed.length + " bytes");
        }
        if (!MessageDigest.isEqual(provided, computed)) {
            throw new S3AuthException(S3AuthError.BAD_DIGEST, "The " + algorithm.displayName() + " you specified"
                    + " did not match the calculated checksum.");
        }
    }

    private static S3AuthException malformed(String why) {
        return new S3AuthException(S3AuthError.MALFORMED_TRAILER, "The request contained trailing data that was"
                + " not well-formed: " + why);
    }
}
