package io.camber.common;

/** JSON body of every error answer (RFC 9457 problem details with a Camber code). */
public record ErrorBody(String type, String title, int status, String code, String detail) {
    public static ErrorBody of(ErrorCode code, String detail) {
        return new ErrorBody("https://camber.io/errors/" + code.name().toLowerCase().replace('_', '-'),
                code.name(), code.httpStatus(), code.name(), detail);
    }
}
