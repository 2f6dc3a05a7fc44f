package io.camber.mds.web;

import io.camber.common.CamberException;
import io.camber.common.VolumePaths;

/** Checks on request fields done at the edge, so bad input never reaches the Raft log. */
public final class Requests {
    private Requests() {
    }

    public static <T> T body(T body) {
        if (body == null) {
            throw CamberException.invalid("the request body is missing");
        }
        return body;
    }

    /** Validates a namespace path and returns it. */
    public static String path(String path, String field) {
        if (path == null) {
            throw CamberException.invalid(field + " is missing: give an absolute path such as /dir/volume");
        }
        VolumePaths.split(path);
        return path;
    }

    /** Largest page a listing answers. */
    public static final int MAX_PAGE = 1000;

    /** A listing's page size: MAX_PAGE when not given, refused outside 1..MAX_PAGE. */
    public static int pageLimit(Integer limit) {
        if (limit == null) {
            return MAX_PAGE;
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw CamberException.invalid("limit=" + limit + " is out of range: ask for 1 to " + MAX_PAGE
                    + " items per page and page on with after=");
        }
        return limit;
    }
}
