package io.camber.s3.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** When a request was signed, read from X-Amz-Date (or Date), and the freshness rules S3 applies to it. */
record SigningTime(Instant instant, String timestamp) {

    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC).withResolverStyle(ResolverStyle.STRICT);

    /** The signing time of a header-signed request: X-Amz-Date, else the RFC 1123 Date header. */
    static SigningTime fromHeaders(SignedRequest request) {
        try {
            if (request.header("X-Amz-Date").isPresent()) {
                return ofAmzDate(request.header("X-Amz-Date").orElseThrow().strip());
            }
            if (request.header("Date").isPresent()) {
                Instant date = ZonedDateTime.parse(request.header("Date").orElseThrow().strip(),
                        DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return new SigningTime(date, AMZ_DATE.format(date));
            }
        } catch (DateTimeParseException e) {
            // fall through to the same answer as a missing date
        }
        throw new S3AuthException(S3AuthError.ACCESS_DENIED,
                "AWS authentication requires a valid Date or x-amz-date header (x-amz-date as yyyyMMdd'T'HHmmss'Z')");
    }

    /** The signing time of a presigned URL, from its X-Amz-Date parameter. */
    static SigningTime fromQuery(String amzDate) {
        try {
            return ofAmzDate(amzDate);
        } catch (DateTimeParseException e) {
            throw new S3AuthException(S3AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
    }

    private static SigningTime ofAmzDate(String value) {
        return new SigningTime(Instant.from(AMZ_DATE.parse(value)), value);
    }

    /** The {@code yyyyMMdd} the credential scope must name. */
    String date() {
        return timestamp.substring(0, 8);
    }

    /** Header-signed requests must be within 15 minutes of the server clock, either way. */
    void checkSkew(Instant now) {
        if (Duration.between(instant, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new S3AuthException(S3AuthError.REQUEST_TIME_TOO_SKEWED, "The difference between the request"
                    + " time (" + timestamp + ") and the server's time (" + AMZ_DATE.format(now) + ") is more than"
                    + " 15 minutes; correct the client's clock");
        }
    }

    /** Presigned URLs are valid from their X-Amz-Date (less the allowed skew) for X-Amz-Expires seconds. */
    void checkPresignedValidity(Instant now, long expiresSeconds) {
        if (instant.minus(MAX_SKEW).isAfter(now)) {
            throw new S3AuthException(S3AuthError.ACCESS_DENIED, "Request is not valid yet: X-Amz-Date "
                    + timestamp + " is in the future; correct the signer's clock");
        }
        Instant expiry = instant.plusSeconds(expiresSeconds);
        if (now.isAfter(expiry)) {
            throw new S3AuthException(S3AuthError.ACCESS_DENIED, "Request has expired (at "
                    + AMZ_DATE.format(expiry) + "); presign the URL again");
        }
    }
}
