package io.camber.meta.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The binary form of records: their components in declaration order, big-endian. long and int are 8 and 4
 * bytes (a Long in a List as a long), boolean one byte, an enum its ordinal as a byte, a String (nullable) a 4-byte UTF-8 length (-1 for null)
 * then its bytes, a byte[] the same, a nested record a presence byte then its components, a List a 4-byte count
 * then its elements. Derived from the record declaration so that a field cannot be forgotten on one side; a
 * record's components may therefore only be appended to, never reordered. {@link #decode} reads a record stored
 * before components were appended: those missing at the end read as null, 0 or false.
 */
public final class RecordCodec {
    private static final Map<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Constructor<?>> CONSTRUCTORS = new ConcurrentHashMap<>();

    private RecordCodec() {
    }

    /** Encodes a record. */
    public static byte[] encode(Record value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeRecord(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a record of the given type. */
    public static <T extends Record> T decode(byte[] bytes, Class<T> type) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return type.cast(readRecord(in, type, true));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static void writeRecord(DataOutputStream out, Record value) throws IOException {
        for (RecordComponent c : components(value.getClass())) {
            try {
                write(out, c.getGenericType(), c.getAccessor().invoke(value));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + value.getClass(), e);
            }
        }
    }

    static Record readRecord(DataInputStream in, Class<?> type) throws IOException {
        return readRecord(in, type, false);
    }

    /** A record that may have been written before components were appended to it (those read as defaults). */
    static Record readStored(DataInputStream in, Class<?> type) throws IOException {
        return readRecord(in, type, true);
    }

    /** With olderForm, the bytes may end before the last components (appended since): they take defaults. */
    private static Record readRecord(DataInputStream in, Class<?> type, boolean olderForm) throws IOException {
        RecordComponent[] parts = components(type);
        Object[] args = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Type component = parts[i].getGenericType();
            args[i] = olderForm && i > 0 && in.available() == 0 ? absent(raw(component)) : read(in, component);
        }
        try {
            return (Record) constructor(type).newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re; // a record refusing its values (e.g. an invalid extent) keeps its own message
            }
            throw new IOException("cannot build " + type.getSimpleName(), e);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot build " + type.getSimpleName(), e);
        }
    }

    private static void write(DataOutputStream out, Type type, Object v) throws IOException {
        Class<?> raw = raw(type);
        if (raw == long.class || raw == Long.class) {
            out.writeLong((Long) v);
        } else if (raw == int.class) {
            out.writeInt((Integer) v);
        } else if (raw == boolean.class) {
            out.writeBoolean((Boolean) v);
        } else if (raw == String.class) {
            writeBytes(out, v == null ? null : ((String) v).getBytes(StandardCharsets.UTF_8));
        } else if (raw == byte[].class) {
            writeBytes(out, (byte[]) v);
        } else if (raw.isEnum()) {
            out.writeByte(((Enum<?>) v).ordinal());
        } else if (raw == List.class) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<?> list = (List<?>) v;
            out.writeInt(list.size());
            for (Object item : list) {
                write(out, element, item);
            }
        } else if (raw.isRecord()) {
            out.writeBoolean(v != null);
            if (v != null) {
                writeRecord(out, (Record) v);
            }
        } else {
            throw new IllegalArgumentException("no binary form for " + type);
        }
    }

    private static Object read(DataInputStream in, Type type) throws IOException {
        Class<?> raw = raw(type);
        if (raw == long.class || raw == Long.class) {
            return in.readLong();
        } else if (raw == int.class) {
            return in.readInt();
        } else if (raw == boolean.class) {
            return in.readBoolean();
        } else if (raw == String.class) {
            byte[] b = readBytes(in);
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        } else if (raw == byte[].class) {
            return readBytes(in);
        } else if (raw.isEnum()) {
            Object[] constants = raw.getEnumConstants();
            int ordinal = in.readUnsignedByte();
            if (ordinal >= constants.length) {
                throw new IOException(raw.getSimpleName() + " has no value " + ordinal);
            }
            return constants[ordinal];
        } else if (raw == List.class) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            int n = in.readInt();
            if (n < 0) {
                throw new IOException("negative list length " + n);
            }
            List<Object> list = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                list.add(read(in, element));
            }
            return list;
        } else if (raw.isRecord()) {
            return in.readBoolean() ? readRecord(in, raw) : null;
        }
        throw new IllegalArgumentException("no binary form for " + type);
    }

    private static Object absent(Class<?> raw) {
        if (raw == long.class) {
            return 0L;
        } else if (raw == int.class) {
            return 0;
        } else if (raw == boolean.class) {
            return false;
        }
        return raw == List.class ? List.of() : null;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        if (n > in.available()) {
            throw new IOException("length " + n + " runs past the end of the message");
        }
        return in.readNBytes(n);
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static RecordComponent[] components(Class<?> type) {
        return COMPONENTS.computeIfAbsent(type, t -> {
            if (!t.isRecord()) {
                throw new IllegalArgumentException(t + " is not a record");
            }
            return t.getRecordComponents();
        });
    }

    private static Constructor<?> constructor(Class<?> type) {
        return CONSTRUCTORS.computeIfAbsent(type, t -> {
            Class<?>[] params = java.util.Arrays.stream(components(t)).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new);
            try {
                Constructor<?> c = t.getDeclaredConstructor(params);
                c.setAccessible(true);
                return c;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(t + " has no canonical constructor", e);
            }
        });
    }
}
