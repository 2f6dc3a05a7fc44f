package io.camber.s3.auth;

import java.util.List;

/** Builds the SigV4 canonical request and string to sign as S3 defines them (path neither normalised nor re-encoded). */
final class CanonicalRequest {

    private CanonicalRequest() {
    }

    /**
     * The canonical request: method, raw path, canonical query, canonical headers, signed headers, payload hash.
     *
     * @param payloadHash the x-amz-content-sha256 value (or UNSIGNED-PAYLOAD), exactly as the client signed it
     */
    static String build(SignedRequest request, QueryParameters query, SignatureParameters signature,
                        String payloadHash) {
        // S3 signs the path as sent: clients encode each key segment once and sign that same string.
        String path = request.rawPath().isEmpty() ? "/" : request.rawPath();
        String canonicalQuery = query.canonical(signature.presigned() ? "X-Amz-Signature" : null);
        StringBuilder out = new StringBuilder(512)
                .append(request.method()).append('\n')
                .append(path).append('\n')
                .append(canonicalQuery).append('\n');
        for (String name : signature.signedHeaders()) {
            List<String> values = request.headerValues(name);
            if (values.isEmpty()) {
                throw new S3AuthException(S3AuthError.MISSING_SECURITY_HEADER, "SignedHeaders lists " + name
                        + " but the request has no such header; send it or leave it out of SignedHeaders");
            }
            out.append(name).append(':');
            appendValues(out, values);
            out.append('\n');
        }
        return out.append('\n')
                .append(signature.signedHeadersLine()).append('\n')
                .append(payloadHash)
                .toString();
    }

    /** {@code AWS4-HMAC-SHA256 \n timestamp \n scope \n hex(sha256(canonical request))}. */
    static String stringToSign(String timestamp, CredentialScope scope, String canonicalRequest) {
        return AuthorizationParser.ALGORITHM + "\n" + timestamp + "\n" + scope.scope() + "\n"
                + Hashing.sha256Hex(canonicalRequest);
    }

    /** Values trimmed, inner whitespace runs collapsed to one space, multiple values joined with a comma. */
    static void appendValues(StringBuilder out, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendTrimmed(out, values.get(i) == null ? "" : values.get(i));
        }
    }

    private static void appendTrimmed(StringBuilder out, String value) {
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b') {
                pendingSpace = started;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            out.append(c);
            started = true;
        }
    }
}
