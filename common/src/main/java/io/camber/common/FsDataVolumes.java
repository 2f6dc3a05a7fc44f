package io.camber.common;

import java.util.List;

/**
 * The reserved part of the volume namespace: every file system's data volume lives at {@code /.fs/<fs id>}, created
 * and deleted with its file system and opened only in SHARED mode by that file system's clients and meta-services.
 * Users may look at it but not create, open, export, resize, rename or delete anything there.
 */
public final class FsDataVolumes {
    /** The directory holding every data volume. */
    public static final String DIRECTORY = "/.fs";
    private static final String NAME = ".fs";

    private FsDataVolumes() {
    }

    /** The data volume of a file system. */
    public static String path(long fsId) {
        return DIRECTORY + "/" + fsId;
    }

    /** Whether a path is the reserved directory or lies below it; an invalid path is refused as such. */
    public static boolean isReserved(String path) {
        List<String> names = VolumePaths.split(path);
        return !names.isEmpty() && names.get(0).equals(NAME);
    }

    /** Refuses a user's change at a reserved path with FORBIDDEN, saying what to do instead. */
    public static void refuseUserChange(String path, String what) {
        if (isReserved(path)) {
            throw new CamberException(ErrorCode.FORBIDDEN, "cannot " + what + " " + path + ": " + DIRECTORY
                    + " holds the data volumes of file systems, managed with them (camber fs create / camber fs rm)");
        }
    }
}
