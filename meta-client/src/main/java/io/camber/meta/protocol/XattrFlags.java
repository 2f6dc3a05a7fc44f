package io.camber.meta.protocol;

/** Flags of setxattr(2), with Linux's values. */
public final class XattrFlags {
    /** Fail with EEXIST if the attribute exists. */
    public static final int CREATE = 1;
    /** Fail with ENODATA if the attribute does not exist. */
    public static final int REPLACE = 2;

    private XattrFlags() {
    }
}
