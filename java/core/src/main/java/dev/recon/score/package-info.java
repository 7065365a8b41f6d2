/**
 * The public inference API: {@link dev.recon.score.Detector} = model + scaler + threshold;
 * per-row scores, flags, per-feature errors and explanations; and the k-th-neighbour search of
 * the default detector ({@link dev.recon.score.NearestNeighbours}, on the CPU). Uses a backend
 * through its interface; never trains.
 */
package dev.recon.score;
