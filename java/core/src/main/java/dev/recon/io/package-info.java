/**
 * Files that outlive a run: the versioned, checksummed model bundle and atomic file writing.
 * No Java serialization, ever: bundles may come from untrusted places.
 */
package dev.recon.io;
