package io.camber.s3.auth;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/** Verifies the AWS Signature Version 4 of an S3 request, from the Authorization header or a presigned URL. */
public final class SigV4 {

    private SigV4() {
    }

    /**
     * Checks the signature of {@code request} before its body is read.
     *
     * @param now the server's clock, for the skew and expiry rules
     * @return who signed and how the body must be checked next
     * @throws S3AuthException with the S3 error to answer when the request is not authentic
     */
    public static Verified verify(SignedRequest request, SecretLookup secrets, Instant now) {
        QueryParameters query = QueryParameters.parse(request.rawQuery());
        SignatureParameters signature = AuthorizationParser.parse(request, query);
        SigningTime time = signature.presigned() ? SigningTime.fromQuery(signature.amzDate())
                : SigningTime.fromHeaders(request);
        checkScope(signature, time);
        if (signature.presigned()) {
            time.checkPresignedValidity(now, signature.expiresSeconds());
        } else {
            time.checkSkew(now);
        }
        String payloadHash = payloadHash(request, query, signature.presigned());
        PayloadMode mode = PayloadMode.of(payloadHash).orElseThrow(() -> new S3AuthException(
                S3AuthError.INVALID_ARGUMENT, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD,"
                + " STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD,"
                + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, or a valid sha256 value."));
        checkAllAmzHeadersSigned(request, signature);

        CredentialScope credential = signature.credential();
        String secret = secrets.secretFor(credential.accessKey()).orElseThrow(() -> new S3AuthException(
                S3AuthError.INVALID_ACCESS_KEY_ID, "The AWS Access Key Id you provided does not exist in our"
                + " records: " + credential.accessKey()));
        byte[] signingKey = Hashing.signingKey(secret, credential);
        String canonical = CanonicalRequest.build(request, query, signature, payloadHash);
        String expected = Hashing.sign(signingKey, CanonicalRequest.stringToSign(time.timestamp(), credential,
                canonical));
        if (!Hashing.sameSignature(expected, signature.signature())) {
            throw new S3AuthException(S3AuthError.SIGNATURE_DOES_NOT_MATCH, "The request signature we calculated"
                    + " does not match the signature you provided. Check your key and signing method.");
        }
        return new Verified(credential.accessKey(), credential, time.timestamp(), signingKey, expected, mode,
                mode == PayloadMode.SHA256 ? Optional.of(payloadHash.toLowerCase(Locale.ROOT)) : Optional.empty(),
                trailerChecksum(request, mode), decodedContentLength(request), signature.presigned());
    }

    private static void checkScope(SignatureParameters signature, SigningTime time) {
        CredentialScope scope = signature.credential();
        if (!scope.service().equals("s3")) {
            throw new S3AuthException(signature.malformed(),
                    "Credential should be scoped to correct service: 's3', not '" + scope.service() + "'");
        }
        if (!scope.terminator().equals("aws4_request")) {
            throw new S3AuthException(signature.malformed(),
                    "Credential should be scoped with a valid terminator: 'aws4_request'");
        }
        if (!scope.date().equals(time.date())) {
            throw new S3AuthException(signature.malformed(), "Invalid credential date \"" + scope.date()
                    + "\". This date is not the same as X-Amz-Date: \"" + time.date() + "\".");
        }
    }

    private static String payloadHash(SignedRequest request, QueryParameters query, boolean presigned) {
        Optional<String> header = request.header("x-amz-content-sha256").map(String::strip);
        if (presigned) {
            return query.first("X-Amz-Content-Sha256").or(() -> header).orElse("UNSIGNED-PAYLOAD");
        }
        // S3 rejects SigV4 header auth without the header rather than assuming a hash.
        return header.orElseThrow(() -> new S3AuthException(S3AuthError.INVALID_REQUEST,
                "Missing required header for this request: x-amz-content-sha256"));
    }

    private static void checkAllAmzHeadersSigned(SignedRequest request, SignatureParameters signature) {
        Set<String> signed = signature.signedHeaders().stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        String unsigned = request.headers().keySet().stream()
                .map(h -> h.toLowerCase(Locale.ROOT))
                .filter(h -> h.startsWith("x-amz-") && !signed.contains(h))
                .sorted().collect(Collectors.joining(", "));
        if (!unsigned.isEmpty()) {
            throw new S3AuthException(S3AuthError.ACCESS_DENIED, "There were headers present in the request which"
                    + " were not signed: " + unsigned + "; every x-amz-* header must be in SignedHeaders");
        }
    }

    private static Optional<ChecksumAlgorithm> trailerChecksum(SignedRequest request, PayloadMode mode) {
        Optional<String> declared = request.header("x-amz-trailer").map(String::strip);
        if (!mode.hasTrailer()) {
            if (declared.isPresent()) {
                throw new S3AuthException(S3AuthError.INVALID_REQUEST, "x-amz-trailer is only allowed with"
                        + " x-amz-content-sha256 STREAMING-UNSIGNED-PAYLOAD-TRAILER or"
                        + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
            }
            return Optional.empty();
        }
        String name = declared.orElseThrow(() -> new S3AuthException(S3AuthError.INVALID_REQUEST,
                "x-amz-trailer is required with a *-TRAILER x-amz-content-sha256; name the checksum trailer,"
                + " e.g. x-amz-checksum-crc32"));
        return Optional.of(ChecksumAlgorithm.forHeader(name).orElseThrow(() -> new S3AuthException(
                S3AuthError.INVALID_ARGUMENT, "x-amz-trailer must name one of x-amz-checksum-crc32, -crc32c,"
                + " -crc64nvme, -sha1, -sha256")));
    }

    private static OptionalLong decodedContentLength(SignedRequest request) {
        Optional<String> value = request.header("x-amz-decoded-content-length").map(String::strip);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long length = Long.parseLong(value.get());
            if (length >= 0) {
                return OptionalLong.of(length);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new S3AuthException(S3AuthError.INVALID_ARGUMENT,
                "x-amz-decoded-content-length must be a non-negative number of bytes");
    }
}
