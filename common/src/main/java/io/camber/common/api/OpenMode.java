package io.camber.common.api;

/**
 * How a client opens a volume. Only READ_WRITE takes a new epoch and fences older writers. SHARED is for the data
 * volume of a file system alone ({@code /.fs/<id>}): any number of shared sessions read and write at once, each at
 * the volume's current epoch, none fencing another; the file system's metadata keeps them from writing the same
 * blocks.
 */
public enum OpenMode { READ_WRITE, READ_ONLY, SHARED }
