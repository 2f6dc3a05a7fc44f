package io.camber.meta.fs;

/** A directory entry: a name in a parent directory naming an inode of a type (kept so readdir needs no inode). */
public record Dentry(long parent, String name, long ino, FileType type) {
}
