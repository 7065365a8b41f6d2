/**
 * The jobs the command line and the Java API run: train (split, scale, train, threshold,
 * evaluate, bundle) and evaluate. Wires the layers together; holds no numerics of its own and
 * no command-line parsing.
 */
package dev.recon.pipeline;
