package io.camber.common.api;

/** How a client opens a volume; only READ_WRITE takes a new epoch and fences older writers. */
public enum OpenMode { READ_WRITE, READ_ONLY }
