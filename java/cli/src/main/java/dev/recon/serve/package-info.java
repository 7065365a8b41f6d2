/**
 * {@code recon serve}: the HTTP scoring service. Routes and status codes ({@link ScoreServer}),
 * request bodies to rows ({@link RequestRows}), the served model and its atomic reload
 * ({@link ModelSlot}, {@link ServedModel}), micro-batching of single-row requests
 * ({@link MicroBatcher}), bearer tokens ({@link BearerToken}) and Prometheus metrics
 * ({@link ServeMetrics}). Scores only through {@link dev.recon.score.Detector}; holds no
 * numerics of its own and no command-line parsing.
 */
package dev.recon.serve;
