/**
 * The pure-Java reference backend. Plain loops over heap arrays, every operation in a fixed
 * summation order: for a given input the results do not depend on the thread count or on
 * timing. Every GPU kernel has a method of the same name and argument order here.
 * Must not use JNI or a GPU binding.
 */
package dev.recon.backend.cpu;
