package dev.darklaunch.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Shows a {@link DarklaunchConfigurationException} at start-up as Spring Boot's "Description / Action" report, without a stack trace. */
final class DarklaunchConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<DarklaunchConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DarklaunchConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
