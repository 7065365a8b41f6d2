#!/usr/bin/python3
"""The one-class image protocol, Recon beside PyTorch in the same run.

For each data set, each class as the normal one, each kind of model and each seed: train on
that class of the training images, then score the test images (that class normal, every other
class an anomaly) and record the ROC-AUC, for Recon (./recon train + ./recon evaluate) and for
the same network in PyTorch (bench/images/torch_oneclass.py), with the same settings: epochs,
batch 256, Adam lr 1e-3, binary cross-entropy on a sigmoid output, score = mean absolute error.

Data sets:
  fashion  Fashion-MNIST from Debian's dataset-fashion-mnist: the official 60,000 training and
           10,000 test images.
  mnist    the MNIST test set in ../shared/data/mnist (its training images are not there):
           the first 5,000 test images train, the last 5,000 test (written as IDX files into a
           temporary folder).
Both sides train on 72 % of the normal class's training rows: Recon keeps 20 % of the normals
of a training file for its own test split and 10 % of the rest for validation; PyTorch keeps
the same share, drawn with its own seed (not the same rows).

Usage: bench/images/oneclass.py [--datasets fashion,mnist] [--classes 0-9] [--seeds 1,2,3]
                                [--kinds ae] [--epochs 20] [--out FILE] [--no-torch] [--jar JAR]
Prints a progress line per run on stderr and writes one JSON document (default
bench/results/oneclass-images.json): settings, every run, and per data set, kind and side the
mean ROC-AUC over classes (each class's mean over seeds).
"""
import argparse
import gzip
import json
import os
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FASHION = "/usr/share/datasets/fashion-mnist"
MNIST = os.path.join(ROOT, "..", "shared", "data", "mnist")


def write_idx_slice(src_images, src_labels, lo, hi, out_images, out_labels):
    with gzip.open(src_images, "rb") as f:
        data = f.read()
    n, rows, cols = struct.unpack(">iii", data[4:16])
    size = rows * cols
    with open(out_images, "wb") as f:
        f.write(struct.pack(">iiii", 2051, hi - lo, rows, cols))
        f.write(data[16 + lo * size:16 + hi * size])
    with gzip.open(src_labels, "rb") as f:
        lab = f.read()
    with open(out_labels, "wb") as f:
        f.write(struct.pack(">ii", 2049, hi - lo))
        f.write(lab[8 + lo:8 + hi])


def datasets(names, tmp):
    out = {}
    for name in names:
        if name == "fashion":
            out[name] = {"train": (f"{FASHION}/train-images-idx3-ubyte.gz", f"{FASHION}/train-labels-idx1-ubyte.gz"),
                         "test": (f"{FASHION}/t10k-images-idx3-ubyte.gz", f"{FASHION}/t10k-labels-idx1-ubyte.gz"),
                         "split": "official: 60,000 training, 10,000 test images"}
        elif name == "mnist":
            src = (f"{MNIST}/t10k-images-idx3-ubyte.gz", f"{MNIST}/t10k-labels-idx1-ubyte.gz")
            tr = (f"{tmp}/mnist-train-images", f"{tmp}/mnist-train-labels")
            te = (f"{tmp}/mnist-test-images", f"{tmp}/mnist-test-labels")
            write_idx_slice(*src, 0, 5000, *tr)
            write_idx_slice(*src, 5000, 10000, *te)
            out[name] = {"train": tr, "test": te,
                         "split": "MNIST test set: images 0-4,999 train, 5,000-9,999 test"}
        else:
            sys.exit(f"unknown data set {name}")
    return out


RECON = [f"{ROOT}/recon"]


def recon(ds, cls, kind, seed, epochs, tmp):
    model = f"{tmp}/model-{kind}"
    train = RECON + ["train", "--data", ds["train"][0], "--labels", ds["train"][1], "--normal-class", str(cls),
             "--epochs", str(epochs), "--patience", "0", "--batch", "256", "--seed", str(seed), "--out", model,
             "--baseline", "none", "--json", "--quiet"]
    if kind == "vae":
        train += ["--kind", "vae"]
    t0 = time.perf_counter()
    r = subprocess.run(train, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("recon train failed: " + r.stderr)
    seconds = time.perf_counter() - t0
    trained = json.loads(r.stdout)
    ev = RECON + ["evaluate", "--model", model, "--data", ds["test"][0], "--labels", ds["test"][1],
          "--normal-class", str(cls), "--out", f"{tmp}/eval", "--baseline", "none", "--json"]
    r = subprocess.run(ev, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("recon evaluate failed: " + r.stderr)
    m = json.loads(r.stdout)
    # the median epoch, as the PyTorch side reports (Recon's epochs include the validation pass, PyTorch's none)
    rates = sorted(trained["split"]["fit_rows"] / e["seconds"] for e in trained["history"] if e.get("seconds"))
    return {"roc_auc": m["roc_auc"], "samples_per_s": rates[len(rates) // 2] if rates else None, "seconds": seconds}


def torch(ds, cls, kind, seed, epochs):
    cmd = ["/usr/bin/python3", f"{ROOT}/bench/images/torch_oneclass.py", "--train-images", ds["train"][0],
           "--train-labels", ds["train"][1], "--test-images", ds["test"][0], "--test-labels", ds["test"][1],
           "--normal-class", str(cls), "--kind", kind, "--epochs", str(epochs), "--seed", str(seed), "--keep", "0.72"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("torch_oneclass.py failed: " + r.stderr)
    return json.loads(r.stdout)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--datasets", default="fashion,mnist")
    p.add_argument("--classes", default="0-9")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--kinds", default="ae")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--out", default=f"{ROOT}/bench/results/oneclass-images.json")
    p.add_argument("--no-torch", action="store_true")
    p.add_argument("--jar", default=None, help="run this recon.jar with java instead of ./recon (a build that "
                   "does not change under a long run)")
    a = p.parse_args()
    if a.jar:
        RECON[:] = ["java", "--add-modules", "jdk.incubator.vector", "-Drecon.home=" + ROOT, "-jar", a.jar]
    lo, _, hi = a.classes.partition("-")
    classes = list(range(int(lo), int(hi or lo) + 1))
    seeds = [int(s) for s in a.seeds.split(",")]
    kinds = a.kinds.split(",")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        sets = datasets(a.datasets.split(","), tmp)
        for name, ds in sets.items():
            for kind in kinds:
                for cls in classes:
                    for seed in seeds:
                        run = {"dataset": name, "kind": kind, "class": cls, "seed": seed,
                               "recon": recon(ds, cls, kind, seed, a.epochs, tmp)}
                        if not a.no_torch:
                            run["torch"] = torch(ds, cls, kind, seed, a.epochs)
                        runs.append(run)
                        print(f"{name} {kind} class {cls} seed {seed}: recon {run['recon']['roc_auc']:.4f}"
                              + ("" if a.no_torch else f", pytorch {run['torch']['roc_auc']:.4f}"), file=sys.stderr)
    summary = {}
    for name in sets:
        for kind in kinds:
            for side in ["recon"] + ([] if a.no_torch else ["torch"]):
                per_class = []
                for cls in classes:
                    v = [r[side]["roc_auc"] for r in runs if r["dataset"] == name and r["kind"] == kind
                         and r["class"] == cls]
                    per_class.append(sum(v) / len(v))
                summary[f"{name}/{kind}/{side}"] = {"mean_roc_auc": sum(per_class) / len(per_class),
                                                   "per_class": per_class}
    doc = {"settings": {"epochs": a.epochs, "batch": 256, "lr": 1e-3, "seeds": seeds, "classes": classes,
                        "splits": {n: s["split"] for n, s in sets.items()}, "date": time.strftime("%Y-%m-%d")},
           "summary": summary, "runs": runs}
    with open(a.out + ".tmp", "w") as f:
        json.dump(doc, f, indent=1)
    os.replace(a.out + ".tmp", a.out)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
