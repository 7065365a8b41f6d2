/**
 * ONNX export of a trained bundle: one graph that scales raw rows, runs the autoencoder, scores
 * each row exactly as {@link dev.recon.score.Detector} does (nearest-neighbour term and
 * threshold included) and flags it. It owns the translation of the bundle's math into ONNX
 * operators and the file's format (IR version, opset), and nothing else: it reads a
 * {@link dev.recon.io.Bundle} and returns bytes, so it must not use the CLI, a backend, the
 * network or the neighbour search (the graph re-states their math; it never calls them), nor
 * ONNX Runtime, which only tests use to check the graph.
 */
package dev.recon.export;
