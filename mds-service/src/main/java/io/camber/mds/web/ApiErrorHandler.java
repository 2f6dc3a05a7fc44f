package io.camber.mds.web;

import io.camber.common.CamberException;
import io.camber.common.ErrorBody;
import io.camber.common.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/** Maps every failure once to a problem document with a stable code; clients never see a stack trace. */
@RestControllerAdvice
public class ApiErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorHandler.class);

    @ExceptionHandler(CamberException.class)
    public ResponseEntity<ErrorBody> camber(CamberException e) {
        if (e.code() == ErrorCode.INTERNAL) {
            LOG.error("event=internal-error detail={}", e.getMessage());
        }
        return body(e.code().httpStatus(), ErrorBody.of(e.code(), e.getMessage()));
    }

    @ExceptionHandler(ServerWebInputException.class)
    public ResponseEntity<ErrorBody> badInput(ServerWebInputException e) {
        String detail = e.getReason() == null ? "the request could not be read" : e.getReason();
        Throwable cause = e.getMostSpecificCause();
        if (cause != e && cause.getMessage() != null) {
            // Decoder messages name the offending field and position; keep only their first line.
            detail = detail + ": " + cause.getMessage().lines().findFirst().orElse("");
        }
        return body(400, ErrorBody.of(ErrorCode.MALFORMED_REQUEST, detail + " (send JSON as described in docs/api.md)"));
    }

    @ExceptionHandler(ResponseStatusException.class)
    public ResponseEntity<ErrorBody> status(ResponseStatusException e) {
        int status = e.getStatusCode().value();
        ErrorCode code = status == 404 ? ErrorCode.NOT_FOUND : status >= 500 ? ErrorCode.INTERNAL : ErrorCode.MALFORMED_REQUEST;
        String detail = e.getReason() == null ? e.getStatusCode().toString() : e.getReason();
        ErrorBody base = ErrorBody.of(code, detail);
        return body(status, new ErrorBody(base.type(), base.title(), status, base.code(), detail));
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ErrorBody> unexpected(Exception e) {
        LOG.error("event=unexpected-error error={}", e.toString(), e);
        return body(500, ErrorBody.of(ErrorCode.INTERNAL, "the MDS hit an unexpected error; its log has the details"));
    }

    private static ResponseEntity<ErrorBody> body(int status, ErrorBody body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
