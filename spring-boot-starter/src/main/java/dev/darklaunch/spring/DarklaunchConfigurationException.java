package dev.darklaunch.spring;

/**
 * The {@code darklaunch.*} properties cannot make a client: one is missing, out of its limits, or
 * conflicts with another. Spring Boot reports it at start-up as what is wrong and what to do.
 */
public final class DarklaunchConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String action;

    DarklaunchConfigurationException(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    /** What to change, in the application's configuration. */
    public String action() {
        return action;
    }
}
