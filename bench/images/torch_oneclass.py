#!/usr/bin/python3
"""PyTorch peer for the one-class image protocol: the same networks as Recon, the same settings.

Trains on the normal class of a training IDX file and reports the ROC-AUC of the score on a
test IDX file (that class normal, every other class anomalous), with the training throughput.

  ae:  784-128-32-128-784 (the input width follows the image), ReLU, sigmoid output, binary
       cross-entropy; PyTorch's default nn.Linear initialisation (Recon's --detector ae uses
       the same); score = mean absolute error of the sigmoid reconstruction (Recon's image
       default, the seed's MAE).
  vae: encoder 784-128 then mean and log-variance of 32; decoder 32-128-784 with a sigmoid;
       loss = binary cross-entropy (summed over pixels) + beta * KL, averaged over the batch;
       score = the same mean absolute error of the reconstruction from the mean.

Adam lr 1e-3, fixed epochs (no early stopping), batch B, shuffled with the seed, pixels / 255.
Training: the first --train-rows rows of the normal class after Recon's split rule is NOT
reproduced; instead all normal rows of the training file are used unless --val-share is
given (Recon holds back 20 % of normals as test and 10 % of the rest for validation: the
protocol script passes --keep 0.72 to train on the same share).

Prints one JSON object: roc_auc, samples_per_s (median epoch), epochs, train_rows, seconds.
"""
import argparse
import gzip
import json
import struct
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">i", data[:4])[0]
    if magic == 2051:
        n, rows, cols = struct.unpack(">iii", data[4:16])
        return np.frombuffer(data, np.uint8, n * rows * cols, 16).reshape(n, rows * cols).astype(np.float32) / 255
    if magic == 2049:
        n = struct.unpack(">i", data[4:8])[0]
        return np.frombuffer(data, np.uint8, n, 8).astype(np.int64)
    sys.exit(f"{path}: not an IDX file (magic {magic})")


def roc_auc(scores, anomaly):
    """Mann-Whitney U with average ranks for ties: what scikit-learn's roc_auc_score gives."""
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = anomaly.sum()
    neg = len(anomaly) - pos
    return (ranks[anomaly].sum() - pos * (pos + 1) / 2) / (pos * neg)


class AE(nn.Module):
    def __init__(self, d, hidden, latent):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, latent))
        self.dec = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, d))

    def loss(self, x):
        logits = self.dec(self.enc(x))
        return nn.functional.binary_cross_entropy_with_logits(logits, x)

    def reconstruct(self, x):
        return torch.sigmoid(self.dec(self.enc(x)))


class VAE(nn.Module):
    def __init__(self, d, hidden, latent, beta):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(d, hidden), nn.ReLU())
        self.mu = nn.Linear(hidden, latent)
        self.logvar = nn.Linear(hidden, latent)
        self.dec = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, d))
        self.beta = beta

    def loss(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        logits = self.dec(z)
        rec = nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
        kl = -0.5 * torch.sum(1 + logvar - mu * mu - torch.exp(logvar)) / x.shape[0]
        return rec + self.beta * kl

    def reconstruct(self, x):
        return torch.sigmoid(self.dec(self.mu(self.enc(x))))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--train-images", required=True)
    p.add_argument("--train-labels", required=True)
    p.add_argument("--test-images", required=True)
    p.add_argument("--test-labels", required=True)
    p.add_argument("--normal-class", type=int, required=True)
    p.add_argument("--kind", choices=["ae", "vae"], default="ae")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--keep", type=float, default=1.0, help="share of the normal training rows trained on")
    p.add_argument("--beta", type=float, default=1.0)
    p.add_argument("--train-range", default=None, help="FROM:TO rows of the training file (MNIST's test-set split)")
    p.add_argument("--test-range", default=None, help="FROM:TO rows of the test file")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)

    def rows(x, y, r):
        if r is None:
            return x, y
        lo, hi = (int(v) for v in r.split(":"))
        return x[lo:hi], y[lo:hi]

    xtr, ytr = rows(read_idx(a.train_images), read_idx(a.train_labels), a.train_range)
    xte, yte = rows(read_idx(a.test_images), read_idx(a.test_labels), a.test_range)
    normal = xtr[ytr == a.normal_class]
    normal = normal[rng.permutation(len(normal))[: int(round(len(normal) * a.keep))]]
    x = torch.from_numpy(np.ascontiguousarray(normal))
    d = x.shape[1]
    model = AE(d, 128, 32) if a.kind == "ae" else VAE(d, 128, 32, a.beta)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rates = []
    t_all = time.perf_counter()
    for _ in range(a.epochs):
        perm = torch.randperm(len(x))
        t0 = time.perf_counter()
        for i in range(0, len(x), a.batch):
            xb = x[perm[i:i + a.batch]]
            opt.zero_grad(set_to_none=True)
            loss = model.loss(xb)
            loss.backward()
            opt.step()
        rates.append(len(x) / (time.perf_counter() - t0))
    seconds = time.perf_counter() - t_all
    model.eval()
    with torch.no_grad():
        xt = torch.from_numpy(np.ascontiguousarray(xte))
        score = (model.reconstruct(xt) - xt).abs().mean(dim=1).numpy().astype(np.float64)
    anomaly = yte != a.normal_class
    print(json.dumps({"roc_auc": roc_auc(score, anomaly), "samples_per_s": float(np.median(rates)),
                      "epochs": a.epochs, "train_rows": len(x), "seconds": seconds, "kind": a.kind,
                      "torch": torch.__version__, "threads": a.threads}))


if __name__ == "__main__":
    main()
