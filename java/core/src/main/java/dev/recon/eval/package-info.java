/**
 * Judging scores against labels: ROC and precision-recall curves, average precision, F1 and
 * the best-F1 threshold, confusion matrices, recall at a fixed false-positive rate, and the
 * threshold policies. Pure functions of scores and labels; must not use a backend or files.
 */
package dev.recon.eval;
