package io.camber.s3.auth;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes an {@code aws-chunked} request body fed in pieces split anywhere, checking chunk signatures, the trailing
 * checksum and trailer signature, and {@code x-amz-decoded-content-length}.
 *
 * <p>Payload slices are handed out as they arrive, before the signature of their chunk (or the trailing checksum) is
 * known, so that at most one framing line is ever buffered: treat everything returned as provisional until
 * {@link #finish()} returns, and discard it if any call throws. Not thread-safe; feed from one subscriber.
 */
public final class AwsChunkedDecoder {

    private static final int MAX_CHUNK_LINE = 4096;
    private static final int MAX_SIZE_DIGITS = 15;
    private static final String SIGNATURE_EXT = "chunk-signature=";

    private enum State { CHUNK_HEADER, DATA, DATA_CR, DATA_LF, TRAILER, DONE }

    private final PayloadMode mode;
    private final ChunkSignatureChain chain;
    private final RunningChecksum checksum;
    private final TrailerSection trailer;
    private final long expectedLength;
    private final LineBuffer line = new LineBuffer(MAX_CHUNK_LINE);
    private final MessageDigest chunkDigest = Hashing.sha256();
    private State state = State.CHUNK_HEADER;
    private long remaining;
    private String chunkSignature;
    private long decoded;
    private S3AuthException failure;

    private AwsChunkedDecoder(Verified verified) {
        this.mode = verified.payloadMode();
        if (!mode.isStreaming()) {
            throw new IllegalArgumentException("payload mode " + mode + " is not aws-chunked");
        }
        this.chain = mode.signsChunks() ? new ChunkSignatureChain(verified.signingKey(), verified.timestamp(),
                verified.scope(), verified.seedSignature()) : null;
        ChecksumAlgorithm algorithm = verified.trailerChecksum().orElse(null);
        this.checksum = algorithm == null ? null : algorithm.start();
        this.trailer = new TrailerSection(mode, algorithm);
        this.expectedLength = verified.decodedContentLength().orElse(-1);
    }

    /** A decoder for the body of a request verified with a streaming {@link PayloadMode}. */
    public static AwsChunkedDecoder forRequest(Verified verified) {
        return new AwsChunkedDecoder(verified);
    }

    /**
     * Consumes all of {@code in} and returns the payload bytes it held, as slices sharing {@code in}'s memory (valid
     * as long as its content is).
     *
     * @throws S3AuthException when the framing is malformed or a signature, checksum or length does not match; every
     *                         later call throws the same exception
     */
    public List<ByteBuffer> feed(ByteBuffer in) {
        if (failure != null) {
            throw failure;
        }
        try {
            return decode(in);
        } catch (S3AuthException e) {
            failure = e;
            throw e;
        }
    }

    /** Declares the end of the body; throws IncompleteBody when the final chunk and trailer have not all arrived. */
    public void finish() {
        if (failure != null) {
            throw failure;
        }
        if (state != State.DONE) {
            failure = new S3AuthException(S3AuthError.INCOMPLETE_BODY, "The aws-chunked body ended before its final"
                    + " zero-length chunk and closing empty line (" + decoded + " payload bytes seen); resend it whole");
            throw failure;
        }
    }

    /** The number of payload bytes decoded so far. */
    public long decodedLength() {
        return decoded;
    }

    private List<ByteBuffer> decode(ByteBuffer in) {
        List<ByteBuffer> out = new ArrayList<>(2);
        while (in.hasRemaining()) {
            switch (state) {
                case CHUNK_HEADER -> {
                    if (line.fill(in, "chunk header")) {
                        onChunkHeader(line.take("chunk header"));
                    }
                }
                case DATA -> out.add(takeData(in));
                case DATA_CR -> expect(in, '\r', State.DATA_LF);
                case DATA_LF -> expect(in, '\n', State.CHUNK_HEADER);
                case TRAILER -> {
                    if (line.fill(in, "trailer")) {
                        onTrailerLine(line.take("trailer"));
                    }
                }
                case DONE -> throw new S3AuthException(S3AuthError.INVALID_REQUEST,
                        "The body continues after the final aws-chunked chunk and trailer");
            }
        }
        return out;
    }

    private void onChunkHeader(String header) {
        int semicolon = header.indexOf(';');
        String sizeText = semicolon < 0 ? header : header.substring(0, semicolon);
        long size = parseSize(sizeText);
        if (mode.signsChunks()) {
            String extension = semicolon < 0 ? "" : header.substring(semicolon + 1);
            if (!extension.startsWith(SIGNATURE_EXT)
                    || !Hashing.isSha256Hex(extension.substring(SIGNATURE_EXT.length()))) {
                throw new S3AuthException(S3AuthError.INVALID_REQUEST, "A signed aws-chunked chunk header must be"
                        + " <hex-size>;chunk-signature=<64 hex digits>");
            }
            chunkSignature = extension.substring(SIGNATURE_EXT.length());
        }
        if (expectedLength >= 0 && decoded + size > expectedLength) {
            throw lengthMismatch(decoded + size);
        }
        if (size == 0) {
            if (chain != null) {
                chain.verifyChunk(chunkSignature, Hashing.EMPTY_SHA256);
            }
            state = State.TRAILER;
            return;
        }
        remaining = size;
        state = State.DATA;
    }

    private static long parseSize(String text) {
        String digits = text.strip();
        if (digits.isEmpty() || digits.length() > MAX_SIZE_DIGITS
                || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new S3AuthException(S3AuthError.INVALID_REQUEST, "An aws-chunked chunk size must be 1 to "
                    + MAX_SIZE_DIGITS + " hex digits");
        }
        return Long.parseLong(digits, 16);
    }

    private ByteBuffer takeData(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        ByteBuffer slice = in.slice(in.position(), n);
        in.position(in.position() + n);
        if (chain != null) {
            chunkDigest.update(slice.duplicate());
        }
        if (checksum != null) {
            checksum.update(slice);
        }
        remaining -= n;
        decoded += n;
        if (remaining == 0) {
            if (chain != null) {
                chain.verifyChunk(chunkSignature, Hashing.hex(chunkDigest.digest()));
            }
            state = State.DATA_CR;
        }
        return slice;
    }

    private void expect(ByteBuffer in, char wanted, State next) {
        if (in.get() != wanted) {
            throw new S3AuthException(S3AuthError.INVALID_REQUEST, "An aws-chunked chunk's data must be followed"
                    + " by CRLF; the chunk size does not match its data");
        }
        state = next;
    }

    private void onTrailerLine(String text) {
        if (!text.isEmpty()) {
            trailer.add(text);
            return;
        }
        trailer.verify(chain, checksum);
        if (expectedLength >= 0 && decoded != expectedLength) {
            throw lengthMismatch(decoded);
        }
        state = State.DONE;
    }

    private S3AuthException lengthMismatch(long length) {
        return new S3AuthException(S3AuthError.INCOMPLETE_BODY, "The aws-chunked body carries " + length
                + " payload bytes but x-amz-decoded-content-length says " + expectedLength);
    }
}
