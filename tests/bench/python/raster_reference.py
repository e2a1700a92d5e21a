#!/usr/bin/python3
"""PyTorch reference of the orevox raster networks, for bench_ssgsnet's side-by-side timing.

Defines the same CIFAR-style ResNet-18 and SSGSNet as learning/torch/src/raster_nets.cpp
(input: C data channels + 1 mask channel; one output logit) and times inference
(eval(), torch.inference_mode(), contiguous float32 input) at a given batch and thread
count. Prints one JSON object on stdout.

Usage: /usr/bin/python3 raster_reference.py --channels 15 --window 32 --batch 64
       --threads 2 --seconds 10 --models resnet,ssgsnet
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ChannelAttention(nn.Module):  # squeeze-excitation, SSGSNet eqs. 1-3
    def __init__(self, c, r):
        super().__init__()
        h = max(1, c // r)
        self.fc1, self.fc2 = nn.Linear(c, h), nn.Linear(h, c)

    def forward(self, x):
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(x.mean((2, 3))))))
        return x * s[:, :, None, None]


class SpatialAttention(nn.Module):  # eqs. 4-5, 7x7 conv, sigmoid
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, 7, padding=3)

    def forward(self, x):
        p = torch.cat([x.mean(1, keepdim=True), x.max(1, keepdim=True)[0]], 1)
        return x * torch.sigmoid(self.conv(p))


class Block(nn.Module):  # Table 1 improved residual block, or a plain basic block
    def __init__(self, cin, cout, stride, attention, r):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.ca = ChannelAttention(cout, r) if attention else None
        self.sa = SpatialAttention() if attention else None
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        if self.ca is not None:
            h = self.sa(self.ca(h))
        return F.relu(h + (self.short(x) if self.short is not None else x))


class ResNetBranch(nn.Module):  # CIFAR stem 3x3/1, 4 layers x 2 blocks, GAP -> 512
    def __init__(self, cin, attention, r=16):
        super().__init__()
        self.stem = nn.Conv2d(cin, 64, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(64)
        blocks, c = [], 64
        for layer, w in enumerate([64, 128, 256, 512]):
            for b in range(2):
                blocks.append(Block(c, w, 2 if layer > 0 and b == 0 else 1, attention, r))
                c = w
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x):
        return self.blocks(F.relu(self.bn(self.stem(x)))).mean((2, 3))


class TransformerBlock(nn.Module):  # pre-norm: x + MSA(LN x) (eq. 6), + MLP(LN .)
    def __init__(self, dim, heads, mlp):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.mlp1, self.mlp2 = nn.Linear(dim, mlp), nn.Linear(mlp, dim)

    def forward(self, x):
        n, t, d = x.shape
        dk = d // self.heads
        q, k, v = self.qkv(self.ln1(x)).view(n, t, 3, self.heads, dk).permute(2, 0, 3, 1, 4)
        a = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(dk), -1)
        x = x + self.proj((a @ v).transpose(1, 2).reshape(n, t, d))
        return x + self.mlp2(F.gelu(self.mlp1(self.ln2(x))))


class VitBranch(nn.Module):
    def __init__(self, cin, k, patch=4, dim=128, depth=4, heads=4, mlp=256):
        super().__init__()
        self.embed = nn.Conv2d(cin, dim, patch, patch)
        self.cls = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.pos = nn.Parameter(torch.randn(1, (k // patch) ** 2 + 1, dim) * 0.02)
        self.blocks = nn.Sequential(*[TransformerBlock(dim, heads, mlp) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        h = self.embed(x).flatten(2).transpose(1, 2)
        h = torch.cat([self.cls.expand(x.shape[0], -1, -1), h], 1) + self.pos
        return self.norm(self.blocks(h)[:, 0])


class ResNet18(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.encoder = ResNetBranch(cin, False)
        self.classifier = nn.Linear(512, 1)

    def forward(self, x):
        return self.classifier(self.encoder(x)).squeeze(1)


class SSGSNet(nn.Module):  # eqs. 7-11: gates 256-32-256 per branch, concat 512, 1 logit
    def __init__(self, cin, k):
        super().__init__()
        self.encoder, self.vit = ResNetBranch(cin, True), VitBranch(cin, k)
        self.fss, self.fsc = nn.Linear(512, 256), nn.Linear(128, 256)
        self.gss = nn.Sequential(nn.Linear(256, 32), nn.ReLU(), nn.Linear(32, 256))
        self.gsc = nn.Sequential(nn.Linear(256, 32), nn.ReLU(), nn.Linear(32, 256))
        self.classifier = nn.Linear(512, 1)

    def forward(self, x):
        fss, fsc = self.fss(self.encoder(x)), self.fsc(self.vit(x))
        f = torch.cat([fss * torch.sigmoid(self.gss(fss)), fsc * torch.sigmoid(self.gsc(fsc))], 1)
        return self.classifier(f).squeeze(1)


def time_model(model, x, seconds):
    model.eval()
    with torch.inference_mode():
        model(x)  # warm-up
        model(x)
        done, start = 0, time.perf_counter()
        while True:
            model(x)
            done += x.shape[0]
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return done, elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--channels", type=int, default=15)
    ap.add_argument("--window", type=int, default=32)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--models", default="resnet,ssgsnet")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    cin = a.channels + 1  # + mask channel, as in orevox
    x = torch.randn(a.batch, cin, a.window, a.window).contiguous()
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "batch": a.batch,
           "mkldnn": torch.backends.mkldnn.is_available(), "models": {}}
    for name in a.models.split(","):
        model = ResNet18(cin) if name == "resnet" else SSGSNet(cin, a.window)
        done, elapsed = time_model(model, x, a.seconds)
        out["models"][name] = {"windows": done, "seconds": elapsed, "windows_per_s": done / elapsed}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
