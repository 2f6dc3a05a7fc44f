package io.camber.common.api;

/**
 * Takes back a session that expired (its renewals could not reach the MDS in time): granted with the same epoch
 * while no other writer opened the volume since, refused with FENCED otherwise.
 *
 * @param mode   the mode the session was opened with
 * @param epoch  the epoch it carried
 * @param client who holds it, as when opening
 */
public record ResumeRequest(OpenMode mode, long epoch, String client) {
}
