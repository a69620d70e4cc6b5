package io.volant.volantd.vm;

import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.store.Store;

/** What the VM service's parts ({@link VmLaunches}, {@link VmInstances}) share: state, settings, host, locks, events. */
record VmParts(Store store, VolantdConfig cfg, VmRuntime runtime, NamedLocks locks, VmEvents events) {}
