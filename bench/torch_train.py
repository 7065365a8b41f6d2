#!/usr/bin/python3
"""PyTorch implementation of Recon's default training, for side-by-side throughput.

The same network as Recon's default (30-128-64-16-64-128-30, ReLU, linear latent and output),
MSE loss, Adam lr 1e-3, on N x 30 standard-normal float32 rows (default N = 227,000). Per
batch size: a fresh model, one untimed warm-up epoch, then --epochs timed epochs; only the
epoch loop is timed. Two training loops:
  dataloader: torch DataLoader(TensorDataset(X), batch_size, shuffle=True), the reference
              project's loop
  index:      torch.randperm + slicing, without DataLoader overhead
Scoring: model.eval(), no_grad, per-row mean squared error over all rows in batches of 4096
(best of 3 after a warm-up pass).
Prints one JSON object.

Usage: /usr/bin/python3 bench/torch_train.py --threads 2 --batch 256 1024 4096 --epochs 3
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def make_model(d=30, latent=16):
    return nn.Sequential(
        nn.Linear(d, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, latent),
        nn.Linear(latent, 64), nn.ReLU(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, d))


def step(model, opt, crit, xb):
    opt.zero_grad()
    loss = crit(model(xb), xb)
    loss.backward()
    opt.step()


def train_epochs(X, batch, epochs, loader):
    torch.manual_seed(0)
    model = make_model(X.shape[1])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.MSELoss()
    gen = torch.Generator().manual_seed(0)
    dl = DataLoader(TensorDataset(X), batch_size=batch, shuffle=True, generator=gen)
    rates = []
    for e in range(epochs + 1):
        t0 = time.perf_counter()
        model.train()
        if loader == "dataloader":
            for (xb,) in dl:
                step(model, opt, crit, xb)
        else:
            perm = torch.randperm(X.shape[0], generator=gen)
            for i in range(0, X.shape[0], batch):
                step(model, opt, crit, X[perm[i:i + batch]])
        if e > 0:  # epoch 0 warms up
            rates.append(X.shape[0] / (time.perf_counter() - t0))
    return model, rates


def score_rate(model, X):
    model.eval()
    best = 0.0
    with torch.no_grad():
        for rep in range(4):
            t0 = time.perf_counter()
            for i in range(0, X.shape[0], 4096):
                xb = X[i:i + 4096]
                ((model(xb) - xb) ** 2).mean(dim=1)
            if rep > 0:
                best = max(best, X.shape[0] / (time.perf_counter() - t0))
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=227_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, nargs="+", default=[256, 1024, 4096])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--loader", nargs="+", default=["dataloader", "index"])
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    X = torch.randn(a.rows, 30, generator=torch.Generator().manual_seed(1))
    out = dict(torch=torch.__version__, threads=a.threads, rows=a.rows, epochs=a.epochs, train=[])
    model = None
    for loader in a.loader:
        for b in a.batch:
            model, rates = train_epochs(X, b, a.epochs, loader)
            out["train"].append(dict(loader=loader, batch=b, samples_per_s=statistics.median(rates),
                                     best=max(rates), epochs=rates))
    out["score_samples_per_s"] = score_rate(model if model is not None else make_model(), X)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
