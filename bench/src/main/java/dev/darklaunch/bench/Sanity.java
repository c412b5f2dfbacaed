package dev.darklaunch.bench;

/**
 * Proves, before anything is measured, that a library really evaluates what its scenario claims;
 * otherwise setup fails and the benchmark does not run. A library that answered a constant, ignored
 * the user, or rolled a die per call would be measured doing less work than the others.
 */
final class Sanity {

    /** Share of users a 50 % rollout must put in: 1 024 users give a standard deviation of 1.6 points. */
    private static final double MIN_SHARE = 0.40;
    private static final double MAX_SHARE = 0.60;

    private Sanity() {
    }

    static void check(String name, FlagLibrary library, Workload workload, Workload.Kind kind, int[] flags) {
        if (!library.expressible().contains(kind)) {
            throw new IllegalStateException(name + " cannot express the " + kind + " scenario with its built-in features");
        }
        switch (kind) {
            case ON_OFF -> onOff(name, library, workload, flags);
            case ROLLOUT -> rollout(name, library, workload, flags);
            case RULE -> rule(name, library, workload, flags);
        }
    }

    /** Every on/off flag answers its state for a spread of users, and two flags for every user. */
    private static void onOff(String name, FlagLibrary library, Workload workload, int[] flags) {
        for (int i = 0; i < flags.length; i++) {
            int flag = flags[i];
            boolean expected = workload.flags().get(flag).on();
            int step = i < 2 ? 1 : 97;
            for (int user = 0; user < Workload.USER_COUNT; user += step) {
                expect(name, library, workload, flag, user, expected);
            }
        }
    }

    /** For several rollout flags: about half of all users are in, and each user gets the same answer again. */
    private static void rollout(String name, FlagLibrary library, Workload workload, int[] flags) {
        for (int flag : new int[] {flags[0], flags[1], flags[flags.length / 2], flags[flags.length - 1]}) {
            boolean[] first = new boolean[Workload.USER_COUNT];
            int in = 0;
            for (int user = 0; user < Workload.USER_COUNT; user++) {
                first[user] = library.isEnabled(flag, user);
                in += first[user] ? 1 : 0;
            }
            double share = in / (double) Workload.USER_COUNT;
            if (share < MIN_SHARE || share > MAX_SHARE) {
                throw new IllegalStateException(String.format("%s: rollout %s put %.1f %% of users in, expected about %d %%",
                        name, workload.flags().get(flag).key(), share * 100, Workload.ROLLOUT_PERCENT));
            }
            for (int round = 0; round < 3; round++) {
                for (int user = 0; user < Workload.USER_COUNT; user++) {
                    expect(name, library, workload, flag, user, first[user]);
                }
            }
        }
    }

    /** For several rule flags, every user gets exactly the reference answer ({@link Workload#matchesRule}). */
    private static void rule(String name, FlagLibrary library, Workload workload, int[] flags) {
        for (int flag : new int[] {flags[0], flags[1], flags[flags.length / 2], flags[flags.length - 1]}) {
            for (int user = 0; user < Workload.USER_COUNT; user++) {
                expect(name, library, workload, flag, user, Workload.matchesRule(workload.users().get(user)));
            }
        }
    }

    private static void expect(String name, FlagLibrary library, Workload workload, int flag, int user, boolean expected) {
        boolean actual = library.isEnabled(flag, user);
        if (actual != expected) {
            throw new IllegalStateException(name + ": " + workload.flags().get(flag).key() + " for "
                    + workload.users().get(user) + " gave " + actual + ", expected " + expected);
        }
    }
}
