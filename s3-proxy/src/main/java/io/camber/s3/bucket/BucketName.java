package io.camber.s3.bucket;

import io.camber.s3.web.S3Error;
import io.camber.s3.web.S3Exception;

import java.util.regex.Pattern;

/** S3's bucket naming rules: a bucket is a top-level directory, and these rules keep it a plain, safe name. */
public final class BucketName {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private BucketName() {
    }

    /** True for a name S3 would accept for a new bucket. */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches() && !name.contains("..") && !name.contains(".-")
                && !name.contains("-.") && !IP_ADDRESS.matcher(name).matches() && !name.startsWith("xn--");
    }

    public static String require(String name) {
        if (!isValid(name)) {
            throw new S3Exception(S3Error.INVALID_BUCKET_NAME, "'" + name + "' is not a valid bucket name: 3 to 63 "
                    + "lower-case letters, digits, '.' and '-', starting and ending with a letter or digit");
        }
        return name;
    }
}
