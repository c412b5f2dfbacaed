package dev.darklaunch.sdk.internal.evaluation;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A set of texts compared ignoring case ({@link CaseFold}), looked up without allocating: an
 * open-addressing table of folded texts, probed with the hash of the folded attribute value.
 * (A {@code HashSet} would need the attribute folded into a new string on every evaluation.)
 */
final class FoldedTexts {

    private final String[] slots;
    private final int mask;

    FoldedTexts(Collection<String> texts) {
        Set<String> folded = new LinkedHashSet<>();
        for (String text : texts) {
            folded.add(CaseFold.foldAll(text));
        }
        int capacity = Integer.highestOneBit(Math.max(2, folded.size() * 2 - 1)) << 1;
        this.slots = new String[capacity];
        this.mask = capacity - 1;
        for (String text : folded) {
            int i = spread(text.hashCode()) & mask;
            while (slots[i] != null) {
                i = (i + 1) & mask;
            }
            slots[i] = text;
        }
    }

    boolean contains(String text) {
        int i = spread(CaseFold.foldedHash(text)) & mask;
        for (String candidate = slots[i]; candidate != null; candidate = slots[i]) {
            if (CaseFold.equalsFolded(text, candidate)) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
