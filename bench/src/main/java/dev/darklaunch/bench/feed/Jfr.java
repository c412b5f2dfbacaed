package dev.darklaunch.bench.feed;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.nio.file.Path;

/** A JFR recording ("profile" settings) of this JVM, to see what dominates a phase. */
final class Jfr {

    private final Recording recording;

    private Jfr(Recording recording) {
        this.recording = recording;
    }

    static Jfr start() throws Exception {
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.start();
        return new Jfr(recording);
    }

    void stop(Path file) throws Exception {
        recording.stop();
        recording.dump(file);
        recording.close();
    }
}
