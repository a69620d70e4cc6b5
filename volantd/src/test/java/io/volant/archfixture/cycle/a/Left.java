package io.volant.archfixture.cycle.a;

import io.volant.archfixture.cycle.b.Right;

/** Half of a deliberate package cycle: ArchitectureTest proves its cycle rule sees one. */
public final class Left {
    public Right right() {
        return new Right();
    }
}
