package io.camber.s3.auth;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@link SignatureParameters} from the Authorization header or from presigned-URL query parameters. */
final class AuthorizationParser {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final long MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
    private static final String UNSUPPORTED_MECHANISM =
            "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.";

    private AuthorizationParser() {
    }

    static SignatureParameters parse(SignedRequest request, QueryParameters query) {
        boolean hasHeader = request.header("Authorization").isPresent();
        boolean hasQuery = query.has("X-Amz-Algorithm") || query.has("X-Amz-Signature")
                || query.has("X-Amz-Credential");
        if (hasHeader && hasQuery) {
            throw new S3AuthException(S3AuthError.INVALID_ARGUMENT, "Only one auth mechanism allowed; send either"
                    + " the Authorization header or the X-Amz-* presigned query parameters, not both");
        }
        if (hasHeader) {
            return fromHeader(request.header("Authorization").orElseThrow());
        }
        if (hasQuery) {
            return fromQuery(query);
        }
        if (query.has("Signature") || query.has("AWSAccessKeyId")) {
            throw new S3AuthException(S3AuthError.INVALID_REQUEST, UNSUPPORTED_MECHANISM);
        }
        throw new S3AuthException(S3AuthError.ACCESS_DENIED, "Anonymous access is not allowed: sign the request"
                + " with AWS Signature Version 4 (Authorization header or presigned URL)");
    }

    private static SignatureParameters fromHeader(String header) {
        String value = header.strip();
        int space = value.indexOf(' ');
        String algorithm = space < 0 ? value : value.substring(0, space);
        if (!algorithm.equals(ALGORITHM)) {
            if (algorithm.equals("AWS")) {
                throw new S3AuthException(S3AuthError.INVALID_REQUEST, UNSUPPORTED_MECHANISM);
            }
            throw new S3AuthException(S3AuthError.AUTHORIZATION_HEADER_MALFORMED,
                    "The authorization header algorithm must be AWS4-HMAC-SHA256");
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : value.substring(space + 1).split(",")) {
            String field = part.strip();
            int eq = field.indexOf('=');
            if (eq <= 0 || fields.put(field.substring(0, eq).strip(), field.substring(eq + 1).strip()) != null) {
                throw new S3AuthException(S3AuthError.AUTHORIZATION_HEADER_MALFORMED, "The authorization header is"
                        + " malformed; expected Credential=..., SignedHeaders=..., Signature=... each once");
            }
        }
        String credential = required(fields, "Credential", false);
        String signedHeaders = required(fields, "SignedHeaders", false);
        String signature = required(fields, "Signature", false);
        return new SignatureParameters(CredentialScope.parse(credential, S3AuthError.AUTHORIZATION_HEADER_MALFORMED),
                signedHeaders(signedHeaders, false), signature, false, null, 0);
    }

    private static SignatureParameters fromQuery(QueryParameters query) {
        Map<String, String> fields = new HashMap<>();
        for (String name : List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date",
                "X-Amz-SignedHeaders", "X-Amz-Expires")) {
            query.first(name).ifPresent(v -> fields.put(name, v));
        }
        if (fields.size() < 6) {
            throw new S3AuthException(S3AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR, "Query-string authentication"
                    + " version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date,"
                    + " X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
        if (!fields.get("X-Amz-Algorithm").equals(ALGORITHM)) {
            throw new S3AuthException(S3AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }
        long expires = expires(fields.get("X-Amz-Expires"));
        return new SignatureParameters(
                CredentialScope.parse(fields.get("X-Amz-Credential"), S3AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR),
                signedHeaders(fields.get("X-Amz-SignedHeaders"), true), fields.get("X-Amz-Signature"), true,
                fields.get("X-Amz-Date"), expires);
    }

    private static long expires(String value) {
        long seconds;
        try {
            seconds = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new S3AuthException(S3AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Expires should be a number of seconds");
        }
        if (seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
            throw new S3AuthException(S3AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Expires must be between 1 and 604800 seconds (one week); presign the URL again");
        }
        return seconds;
    }

    private static List<String> signedHeaders(String value, boolean presigned) {
        List<String> names = Arrays.asList(value.split(";", -1));
        if (value.isEmpty() || names.stream().anyMatch(String::isEmpty)) {
            throw new S3AuthException(SignatureParameters.malformed(presigned),
                    "SignedHeaders must be a ';'-separated list of header names");
        }
        if (!names.contains("host")) {
            throw new S3AuthException(SignatureParameters.malformed(presigned),
                    "SignedHeaders must include host; sign the host header");
        }
        return List.copyOf(names);
    }

    private static String required(Map<String, String> fields, String name, boolean presigned) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new S3AuthException(SignatureParameters.malformed(presigned),
                    "The authorization header is missing " + name + "=");
        }
        return value;
    }
}
