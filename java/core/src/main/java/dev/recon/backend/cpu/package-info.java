/**
 * The pure-Java reference backend over heap arrays: register-blocked kernels on the Vector API
 * ({@code VectorKernels}) where the JDK has it, their scalar twin ({@code ScalarKernels})
 * otherwise, both summing every operation in the same fixed order, so that for a given input
 * the results do not depend on the kernels, the thread count or timing. Every GPU kernel has a method of the same name and argument order here.
 * Must not use JNI or a GPU binding.
 */
package dev.recon.backend.cpu;
