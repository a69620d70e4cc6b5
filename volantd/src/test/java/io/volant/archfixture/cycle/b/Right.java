package io.volant.archfixture.cycle.b;

import io.volant.archfixture.cycle.a.Left;

/** The other half of the deliberate cycle of {@link Left}. */
public final class Right {
    public Left left() {
        return new Left();
    }
}
