package io.camber.s3.listing;

import io.camber.client.fs.CamberFs;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaResult.Entry;
import io.camber.s3.bucket.Buckets;
import io.camber.s3.fs.Directories;
import io.camber.s3.object.ObjectMeta;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Lists a bucket's keys in S3 order by walking its directory tree depth first. A directory's children are visited
 * in the order of the keys they lead to (a directory "a" as "a/", so "a-b" comes before "a/x", as '-' sorts before
 * '/'). Directories that cannot hold a key after startAfter or under prefix are never read, and a directory whose
 * key already holds the delimiter becomes one common prefix without being read either.
 */
public final class KeyWalk {
    private static final Comparator<Entry> KEY_ORDER = Comparator.comparing(KeyWalk::keyPart, KeyOrder.UTF8);

    private final CamberFs fs;
    private final ListQuery q;
    private final List<Inode> files = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();
    private int count;
    private boolean truncated;
    private String last;

    private KeyWalk(CamberFs fs, ListQuery q) {
        this.fs = fs;
        this.q = q;
    }

    /** One page of the keys under bucketDir that q selects. */
    public static CompletableFuture<ListPage> list(CamberFs fs, long bucketDir, ListQuery q) {
        KeyWalk walk = new KeyWalk(fs, q);
        if (q.maxKeys() == 0) {
            return CompletableFuture.completedFuture(new ListPage(List.of(), List.of(), false, null));
        }
        return walk.dir(bucketDir, "").thenCompose(v -> walk.page());
    }

    /** Visits one directory; completes with false once the page is full. */
    private CompletableFuture<Boolean> dir(long ino, String keyPrefix) {
        return Buckets.readAll(fs, ino).thenCompose(entries -> {
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort(KEY_ORDER);
            return visit(sorted, 0, keyPrefix);
        });
    }

    private CompletableFuture<Boolean> visit(List<Entry> entries, int from, String keyPrefix) {
        for (int i = from; i < entries.size(); i++) {
            Entry e = entries.get(i);
            String key = keyPrefix + keyPart(e);
            if (e.type() == FileType.DIRECTORY) {
                if (!key.startsWith(q.prefix()) && !q.prefix().startsWith(key)) {
                    continue;
                }
                if (KeyOrder.compare(key, q.startAfter()) <= 0 && !q.startAfter().startsWith(key)) {
                    continue; // every key below it sorts before startAfter
                }
                String common = commonPrefix(key);
                if (common != null) {
                    if (!add(null, common)) {
                        return CompletableFuture.completedFuture(false);
                    }
                    continue;
                }
                int next = i + 1;
                return dir(e.ino(), key).thenCompose(more -> more ? visit(entries, next, keyPrefix)
                        : CompletableFuture.completedFuture(false));
            }
            if (e.type() != FileType.REGULAR || e.attr() == null || !key.startsWith(q.prefix())
                    || KeyOrder.compare(key, q.startAfter()) <= 0) {
                continue;
            }
            String common = commonPrefix(key);
            if (!(common == null ? add(e.attr(), key) : add(null, common))) {
                return CompletableFuture.completedFuture(false);
            }
        }
        return CompletableFuture.completedFuture(true);
    }

    /** The common prefix key rolls up into, or null; a prefix that ends inside key's last segment is not one. */
    private String commonPrefix(String key) {
        if (q.delimiter() == null || !key.startsWith(q.prefix())) {
            return null;
        }
        int at = key.indexOf(q.delimiter(), q.prefix().length());
        return at < 0 ? null : key.substring(0, at + q.delimiter().length());
    }

    /** Adds a key (file non-null) or a common prefix; false when the page was already full. */
    private boolean add(Inode file, String item) {
        if (file == null && (item.equals(last) || KeyOrder.compare(item, q.startAfter()) <= 0)) {
            return true; // a common prefix is listed once, and not again on the page after it
        }
        if (count == q.maxKeys()) {
            truncated = true;
            return false;
        }
        count++;
        last = item;
        if (file == null) {
            prefixes.add(item);
        } else {
            files.add(file);
            keys.add(item);
        }
        return true;
    }

    /** The page, with each object's ETag read from its metadata xattr (all at once). */
    private CompletableFuture<ListPage> page() {
        List<CompletableFuture<ListPage.Listed>> listed = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Inode f = files.get(i);
            String key = keys.get(i);
            listed.add(fs.getxattr(f.ino(), ObjectMeta.XATTR).handle((bytes, e) -> {
                FsError error = e == null ? null : Directories.errorOf(e);
                if (e != null && error != FsError.ENODATA && error != FsError.ENOENT) {
                    throw new CompletionException(Directories.unwrap(e));
                }
                ObjectMeta meta = ObjectMeta.of(f, e == null ? bytes : null);
                return new ListPage.Listed(key, f.size(), Instant.ofEpochSecond(0, f.mtime()), meta.etag());
            }));
        }
        return CompletableFuture.allOf(listed.toArray(CompletableFuture[]::new)).thenApply(v -> new ListPage(
                listed.stream().map(CompletableFuture::join).toList(), List.copyOf(prefixes), truncated, last));
    }

    private static String keyPart(Entry e) {
        return e.type() == FileType.DIRECTORY ? e.name() + "/" : e.name();
    }
}
