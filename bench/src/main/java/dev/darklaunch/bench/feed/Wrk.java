package dev.darklaunch.bench.feed;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code wrk} load generator, run as a process: one warm-up, then several timed runs,
 * requests per second and latency quantiles parsed from its report. Requests with a body (POST)
 * come from a Lua script that {@code wrk} runs per request.
 */
final class Wrk {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    /** One timed run: requests per second, and the median and 99th-percentile latency in ms. */
    record Run(double rate, double p50Millis, double p99Millis) {
    }

    private final int threads;
    private final int connections;
    private final int seconds;
    private final int runs;

    Wrk(int threads, int connections, int seconds, int runs) {
        this.threads = threads;
        this.connections = connections;
        this.seconds = seconds;
        this.runs = runs;
    }

    /**
     * Runs {@code wrk} with these headers (and script, or null) against the URL; prints the first
     * run's command (with {@code secret} hidden) and report.
     */
    List<Run> measure(String url, List<String> headers, Path script, String secret) throws Exception {
        run(command(url, headers, script, 5)); // warm-up, not counted
        List<Run> results = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            List<String> command = command(url, headers, script, seconds);
            String output = run(command);
            if (i == 0) {
                String shown = String.join(" ", command);
                System.out.println("$ " + (secret == null ? shown : shown.replace(secret, "<token>")));
                System.out.print(output);
            }
            Matcher rate = RATE.matcher(output);
            if (!rate.find()) {
                throw new IllegalStateException("wrk said: " + output);
            }
            if (output.contains("Non-2xx")) {
                throw new IllegalStateException("wrk saw answers other than 2xx/3xx: " + output);
            }
            results.add(new Run(Double.parseDouble(rate.group(1)), quantile(output, "50%"), quantile(output, "99%")));
        }
        return results;
    }

    /** A Lua script for {@code wrk} that POSTs JSON bodies made by {@code bodyExpression} (Lua, with the counter {@code n}). */
    static Path postScript(Path dir, String name, String bodyExpression) throws Exception {
        Files.createDirectories(dir);
        Path script = dir.resolve(name + ".lua");
        Files.writeString(script, """
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                local n = 0
                request = function()
                  n = n + 1
                  return wrk.format(nil, nil, nil, %s)
                end
                """.formatted(bodyExpression));
        return script;
    }

    /** The median of the runs' values. */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    static String describe(List<Run> runs) {
        return String.format(Locale.ROOT, "median %.0f req/s, p50 %.2f ms, p99 %.2f ms (runs %s req/s)",
                median(runs.stream().map(Run::rate).toList()), median(runs.stream().map(Run::p50Millis).toList()),
                median(runs.stream().map(Run::p99Millis).toList()), runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.rate())).toList());
    }

    private List<String> command(String url, List<String> headers, Path script, int duration) {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + duration + "s", "--latency"));
        for (String header : headers) {
            command.addAll(List.of("-H", header));
        }
        if (script != null) {
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(url);
        return command;
    }

    /** A latency quantile line of {@code --latency}'s distribution ("50%  1.23ms"), in ms. */
    private static double quantile(String output, String quantile) {
        Matcher line = Pattern.compile("\\s" + Pattern.quote(quantile) + "\\s+([0-9.]+)(us|ms|s)").matcher(output);
        if (!line.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(line.group(1));
        return switch (line.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return output;
    }
}
