package io.camber.common.api;

/**
 * Asks the MDS for a new file system.
 *
 * @param name       the file system's name: letters, digits, '.', '_' and '-', 1 to 64 characters
 * @param pool       logical pool its file data goes to (null: the only one, when there is exactly one)
 * @param partitions metadata partitions to create up front (null: the MDS's default, 2)
 */
public record CreateFsRequest(String name, String pool, Integer partitions) {
}
