package io.camber.meta.protocol;

/** Bits of {@link MetaCommand.SetAttr#mask}: which attributes the command sets. */
public final class SetAttrMask {
    public static final int MODE = 1;
    public static final int UID = 2;
    public static final int GID = 4;
    public static final int ATIME = 8;
    public static final int MTIME = 16;
    public static final int CTIME = 32;
    public static final int SIZE = 64;

    private SetAttrMask() {
    }
}
