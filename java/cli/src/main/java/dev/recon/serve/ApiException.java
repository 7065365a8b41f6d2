package dev.recon.serve;

/** A request the server refuses: the HTTP status and the one-line message of the JSON error body. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException unprocessable(String message) {
        return new ApiException(422, message);
    }

    static ApiException tooLarge(String message) {
        return new ApiException(413, message);
    }
}
