package dev.daneel.milter;

import java.io.IOException;

/**
 * A configuration file the milter cannot use; the message names the file, line and key, and what
 * was expected.
 *
 * <pre>{@code
 * /etc/daneel/milter.conf:3: policy: expected opportunistic or require, got "always"
 * }</pre>
 */
public final class MilterConfigException extends IOException {
    private static final long serialVersionUID = 1L;

    public MilterConfigException(String message) {
        super(message);
    }
}
