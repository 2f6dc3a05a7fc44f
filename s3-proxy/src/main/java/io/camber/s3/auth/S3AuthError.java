package io.camber.s3.auth;

/** The S3 error codes that request authentication and body verification answer with, each with its HTTP status. */
public enum S3AuthError {
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403),
    INVALID_ACCESS_KEY_ID("InvalidAccessKeyId", 403),
    ACCESS_DENIED("AccessDenied", 403),
    REQUEST_TIME_TOO_SKEWED("RequestTimeTooSkewed", 403),
    AUTHORIZATION_HEADER_MALFORMED("AuthorizationHeaderMalformed", 400),
    AUTHORIZATION_QUERY_PARAMETERS_ERROR("AuthorizationQueryParametersError", 400),
    MISSING_SECURITY_HEADER("MissingSecurityHeader", 400),
    INVALID_REQUEST("InvalidRequest", 400),
    INVALID_ARGUMENT("InvalidArgument", 400),
    X_AMZ_CONTENT_SHA256_MISMATCH("XAmzContentSHA256Mismatch", 400),
    INVALID_DIGEST("InvalidDigest", 400),
    BAD_DIGEST("BadDigest", 400),
    INCOMPLETE_BODY("IncompleteBody", 400),
    MALFORMED_TRAILER("MalformedTrailerError", 400);

    private final String code;
    private final int httpStatus;

    S3AuthError(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The code as S3 spells it in the {@code <Code>} element of an error response. */
    public String code() {
        return code;
    }

    /** The HTTP status S3 answers this code with. */
    public int httpStatus() {
        return httpStatus;
    }
}
