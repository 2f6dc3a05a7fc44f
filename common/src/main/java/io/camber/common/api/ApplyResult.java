package io.camber.common.api;

import java.util.List;

/** What applying a topology changed (or, for a dry run, would change). */
public record ApplyResult(boolean applied, List<String> changes) {
}
