/**
 * The public inference API: {@link dev.recon.score.Detector} = model + scaler + threshold;
 * per-row errors, flags, per-feature errors and explanations. Uses a backend through its
 * interface; never trains.
 */
package dev.recon.score;
