/**
 * TEMPORARY stand-in for the shared manifest library (module {@code volant-manifest}, being written on branch
 * {@code manifest}), reduced to the contract of COMMON.md so volantd compiles. Deleted as soon as the real
 * library lands on main; nothing here is meant to survive.
 */
package io.volant.manifest;
