package io.camber.common.api;

/** Kinds of namespace entries. */
public enum EntryType { DIRECTORY, VOLUME }
