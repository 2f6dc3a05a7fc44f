package io.camber.s3.multipart;

import io.camber.s3.web.S3Error;
import io.camber.s3.web.S3Exception;

/** A part's number, 1 to 10,000, and the file name it is kept under (zero-padded, so names sort as numbers). */
public record PartNumber(int value) {
    public static final int MAX = 10_000;

    public static PartNumber parse(String text) {
        try {
            int n = Integer.parseInt(text == null ? "" : text.strip());
            if (n >= 1 && n <= MAX) {
                return new PartNumber(n);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new S3Exception(S3Error.INVALID_ARGUMENT, "partNumber must be an integer from 1 to " + MAX + ", not '"
                + text + "'");
    }

    public String fileName() {
        return String.format("%05d", value);
    }

    static boolean isPartFile(String name) {
        return name.length() == 5 && name.chars().allMatch(Character::isDigit);
    }
}
