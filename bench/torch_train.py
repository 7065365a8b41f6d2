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
(best of 3 after a warm-up pass), with the last trained eager model.

Options:
  --rows N          rows of data (default 227,000; 20,000 with --quick)
  --epochs N        timed epochs per batch size (default 3; 1 with --quick)
  --quick           the smaller defaults above, for a fast check; an explicit --rows or
                    --epochs still wins
  --batch B...      batch sizes (default 256 1024 4096)
  --loader L...     dataloader and/or index (default both on cpu, index only on cuda)
  --threads N       torch.set_num_threads (default 2); cpu only, ignored on cuda
  --device cpu|cuda default cpu. On cuda the model and the data live on the GPU
                    (torch.cuda.get_device_name(0) of device 0), TF32 is off
                    (backends.cuda.matmul.allow_tf32 = backends.cudnn.allow_tf32 = False,
                    set_float32_matmul_precision('highest')) so the figures compare with FP32
                    work, and torch.cuda.synchronize() runs before every timer read. The index
                    loop draws the permutation on the GPU and slices the device-resident tensor.
                    The DataLoader loop is a CPU-side loop, so it is skipped on cuda by default;
                    asked for with --loader dataloader, it runs over a host copy of the data
                    with pin_memory=True and copies each batch to the GPU (non_blocking).
                    Without a usable CUDA device: one line on stderr, exit status 2.
  --compile         also time every (loader, batch) with torch.compile(model) (default mode;
                    torch._dynamo.reset() before each, so each compiles afresh in its untimed
                    warm-up epoch, whose length is reported as warmup_s). If torch.compile is
                    missing (torch < 2.0) or fails (no compiler toolchain, ...), the error is
                    reported in the JSON and the eager results stand.

Prints one JSON object:
  torch, threads (null on cuda), rows, epochs
  train: [{loader, batch, samples_per_s (median epoch), best, epochs (every timed epoch)}],
         eager mode
  score_samples_per_s: scoring rate (on cuda: data already on the device)
  device: {type ("cpu"/"cuda"), name (the GPU's name, or the CPU model), torch, cuda
           (torch.version.cuda, null in a CPU-only build), and on cuda: tf32 (false)}
  on cuda only:
    score_host_samples_per_s: scoring from host memory: the rows in a pinned CPU tensor, each
                              batch copied to the GPU (non_blocking) and its per-row errors
                              copied back into a pinned host buffer; best of 3 after a warm-up
  with --compile only:
    train_compile: the same entries as train (plus warmup_s), for torch.compile(model)
    compile_error: present when torch.compile failed: "loader L, batch B: Type: message"
                   (cut to 2000 characters); no further compiled runs are tried after it

Usage: /usr/bin/python3 bench/torch_train.py --threads 2 --batch 256 1024 4096 --epochs 3
       /usr/bin/python3 bench/torch_train.py --device cuda --compile --batch 256 4096
"""
import argparse
import json
import platform
import statistics
import sys
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


def clock(dev):
    """time.perf_counter(), after the GPU's queued work has finished when on cuda."""
    if dev.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter()


def train_epochs(X, batch, epochs, loader, dev, compiled=False, X_host=None):
    """X: the rows on dev; X_host: a pinned host copy, for the DataLoader loop on cuda."""
    torch.manual_seed(0)
    model = make_model(X.shape[1]).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.MSELoss()
    fwd = torch.compile(model) if compiled else model
    gen = torch.Generator().manual_seed(0)
    on_gpu = dev.type == "cuda"
    if loader == "dataloader":
        dl = DataLoader(TensorDataset(X_host if on_gpu else X), batch_size=batch, shuffle=True,
                        generator=gen, pin_memory=on_gpu)
    elif on_gpu:
        gen = torch.Generator(device=dev).manual_seed(0)
    rates = []
    warmup_s = None
    for e in range(epochs + 1):
        t0 = clock(dev)
        model.train()
        if loader == "dataloader":
            for (xb,) in dl:
                step(fwd, opt, crit, xb.to(dev, non_blocking=True) if on_gpu else xb)
        else:
            perm = torch.randperm(X.shape[0], generator=gen, device=X.device)
            for i in range(0, X.shape[0], batch):
                step(fwd, opt, crit, X[perm[i:i + batch]])
        t1 = clock(dev)
        if e > 0:  # epoch 0 warms up (and compiles, with --compile)
            rates.append(X.shape[0] / (t1 - t0))
        else:
            warmup_s = t1 - t0
    return model, rates, warmup_s


def score_rate(model, X, dev, X_host=None):
    """Best rows/s of 3 passes after a warm-up. With X_host (a pinned CPU tensor), each batch
    is copied to dev and its per-row errors copied back to a pinned host buffer."""
    model.eval()
    best = 0.0
    src = X if X_host is None else X_host
    out = None if X_host is None else torch.empty(src.shape[0], pin_memory=True)
    with torch.no_grad():
        for rep in range(4):
            t0 = clock(dev)
            for i in range(0, src.shape[0], 4096):
                xb = src[i:i + 4096]
                if X_host is not None:
                    xb = xb.to(dev, non_blocking=True)
                err = ((model(xb) - xb) ** 2).mean(dim=1)
                if out is not None:
                    out[i:i + 4096].copy_(err, non_blocking=True)
            t1 = clock(dev)
            if rep > 0:
                best = max(best, src.shape[0] / (t1 - t0))
    return best


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def error_text(e, limit=2000):
    s = f"{type(e).__name__}: {e}".strip()
    return s if len(s) <= limit else s[:limit] + "..."


def reset_dynamo():
    try:
        import torch._dynamo
        torch._dynamo.reset()
    except Exception:  # torch < 2.0, or dynamo unusable: nothing to reset
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=None, help="default 227000 (20000 with --quick)")
    ap.add_argument("--threads", type=int, default=2, help="cpu only")
    ap.add_argument("--batch", type=int, nargs="+", default=[256, 1024, 4096])
    ap.add_argument("--epochs", type=int, default=None, help="default 3 (1 with --quick)")
    ap.add_argument("--loader", nargs="+", choices=["dataloader", "index"], default=None,
                    help="default: both on cpu, index on cuda")
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument("--compile", action="store_true", help="also time torch.compile(model)")
    ap.add_argument("--quick", action="store_true", help="20000 rows, 1 epoch unless given")
    a = ap.parse_args()
    rows = a.rows if a.rows is not None else (20_000 if a.quick else 227_000)
    epochs = a.epochs if a.epochs is not None else (1 if a.quick else 3)
    on_gpu = a.device == "cuda"
    loaders = a.loader if a.loader is not None else (["index"] if on_gpu else ["dataloader", "index"])

    if on_gpu:
        if not torch.cuda.is_available() or torch.cuda.device_count() == 0:
            why = ("this PyTorch is built without CUDA" if torch.version.cuda is None
                   else f"no CUDA device is visible (PyTorch built with CUDA {torch.version.cuda})")
            print(f"torch_train.py: --device cuda: {why} (torch {torch.__version__})", file=sys.stderr)
            sys.exit(2)
        dev = torch.device("cuda", 0)
        torch.cuda.set_device(dev)
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.set_float32_matmul_precision("highest")
        device_info = dict(type="cuda", name=torch.cuda.get_device_name(0), torch=torch.__version__,
                           cuda=torch.version.cuda, tf32=False)
    else:
        dev = torch.device("cpu")
        torch.set_num_threads(a.threads)
        device_info = dict(type="cpu", name=cpu_name(), torch=torch.__version__, cuda=torch.version.cuda)

    X_cpu = torch.randn(rows, 30, generator=torch.Generator().manual_seed(1))
    X = X_cpu.to(dev) if on_gpu else X_cpu
    X_host = X_cpu.pin_memory() if on_gpu else None
    out = dict(torch=torch.__version__, threads=None if on_gpu else a.threads, rows=rows, epochs=epochs,
               train=[])
    if a.compile:
        out["train_compile"] = []
    compile_error = None
    model = None
    for loader in loaders:
        for b in a.batch:
            model, rates, _ = train_epochs(X, b, epochs, loader, dev, X_host=X_host)
            out["train"].append(dict(loader=loader, batch=b, samples_per_s=statistics.median(rates),
                                     best=max(rates), epochs=rates))
            if not a.compile or compile_error is not None:
                continue
            try:
                if not hasattr(torch, "compile"):
                    raise RuntimeError(f"torch.compile is not available in torch {torch.__version__} (needs 2.0)")
                reset_dynamo()  # a fresh compile per run: no cache limit, compile time in the warm-up
                _, rates, warmup_s = train_epochs(X, b, epochs, loader, dev, compiled=True, X_host=X_host)
                out["train_compile"].append(dict(loader=loader, batch=b, samples_per_s=statistics.median(rates),
                                                 best=max(rates), epochs=rates, warmup_s=warmup_s))
            except Exception as e:  # no compiler toolchain, unsupported backend, ...
                compile_error = f"loader {loader}, batch {b}: {error_text(e)}"
                out["compile_error"] = compile_error
                reset_dynamo()
    if model is None:
        torch.manual_seed(0)
        model = make_model().to(dev)
    out["score_samples_per_s"] = score_rate(model, X, dev)
    if on_gpu:
        out["score_host_samples_per_s"] = score_rate(model, X, dev, X_host=X_host)
    out["device"] = device_info
    print(json.dumps(out))


if __name__ == "__main__":
    main()
