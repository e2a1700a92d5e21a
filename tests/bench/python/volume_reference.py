#!/usr/bin/python3
"""The DANN-CTA volume network of orevox (learning/torch/src/volume_net.cpp) in PyTorch, to
time patch-by-patch scoring side by side with orevox (bench_volume_predict calls this).

Same layers, shapes and order as VolumeNetImpl (see volume_models.hpp): trunk of three
valid 3x3x3 convolutions (C+1 -> 16 -> 32 -> 32, ReLU; the extra channel is the patch
mask), channel attention (3D squeeze-excitation 32 -> 8 -> 32), spatial attention (channel
mean and max -> 3x3x3 conv 2 -> 1, padding 1), FC 32 m^3 -> 64 + ReLU, feature attention
(64 -> 16 -> 64), label predictor 64 -> 32 -> 1, sigmoid. The domain branch is not used
when scoring. Weights are PyTorch's default initialisation: throughput does not depend on
them.

Usage: /usr/bin/python3 volume_reference.py --channels C --patch 9 --patches N --batch B
       --threads T [--seed S] [--repeats R]
Prints one JSON line (fastest of R timed passes): patches_per_s, seconds, gflop_per_patch, gflops, torch version.
Needs Debian's python3-torch (1.13); exits 3 with a message when torch is missing.
"""

import argparse
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:  # the bench prints this and skips the comparison
    print(f"volume_reference.py: no PyTorch in {sys.executable}: {e}", file=sys.stderr)
    sys.exit(3)

TRUNK = 32
FEATURES = 64


class VolumeNet(nn.Module):
    def __init__(self, channels: int, patch: int, attention: bool = True):
        super().__init__()
        m = patch - 6
        self.attention = attention
        self.conv1 = nn.Conv3d(channels + 1, 16, 3)
        self.conv2 = nn.Conv3d(16, TRUNK, 3)
        self.conv3 = nn.Conv3d(TRUNK, TRUNK, 3)
        if attention:
            self.se1 = nn.Linear(TRUNK, TRUNK // 4)
            self.se2 = nn.Linear(TRUNK // 4, TRUNK)
            self.spatial = nn.Conv3d(2, 1, 3, padding=1)
            self.fa1 = nn.Linear(FEATURES, FEATURES // 4)
            self.fa2 = nn.Linear(FEATURES // 4, FEATURES)
        self.fc = nn.Linear(TRUNK * m ** 3, FEATURES)
        self.label1 = nn.Linear(FEATURES, 32)
        self.label2 = nn.Linear(32, 1)

    def forward(self, x):
        x = F.relu(self.conv3(F.relu(self.conv2(F.relu(self.conv1(x))))))
        n = x.shape[0]
        if self.attention:
            gate = torch.sigmoid(self.se2(F.relu(self.se1(x.mean((2, 3, 4))))))
            x = x * gate.view(n, TRUNK, 1, 1, 1)
            pooled = torch.cat([x.mean(1, keepdim=True), x.max(1, keepdim=True)[0]], 1)
            x = x * torch.sigmoid(self.spatial(pooled))
        f = F.relu(self.fc(x.flatten(1)))
        if self.attention:
            f = f * torch.sigmoid(self.fa2(F.relu(self.fa1(f))))
        return torch.sigmoid(self.label2(F.relu(self.label1(f)))).squeeze(1)


def flop_per_patch(channels: int, patch: int, attention: bool = True) -> float:
    """Multiply-adds x 2 of one patch, layer by layer (biases and activations not counted)."""
    k = patch
    macs = (k - 2) ** 3 * (channels + 1) * 16 * 27  # conv1
    macs += (k - 4) ** 3 * 16 * TRUNK * 27  # conv2
    m3 = (k - 6) ** 3
    macs += m3 * TRUNK * TRUNK * 27  # conv3
    if attention:
        macs += 2 * TRUNK * (TRUNK // 4) + m3 * 2 * 27 + 2 * FEATURES * (FEATURES // 4)
    macs += TRUNK * m3 * FEATURES + FEATURES * 32 + 32  # fc, label predictor
    return 2.0 * macs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--channels", type=int, required=True)
    ap.add_argument("--patch", type=int, default=9)
    ap.add_argument("--patches", type=int, default=2048)
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3, help="timed passes; the fastest counts")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    net = VolumeNet(a.channels, a.patch).eval()
    x = torch.randn(a.patches, a.channels + 1, a.patch, a.patch, a.patch)
    x[:, a.channels] = 1.0  # the mask channel
    with torch.no_grad():
        net(x[:4])  # warm-up, like the C++ side
        seconds = float("inf")
        for _ in range(a.repeats):  # best of: the machine is shared, the fastest pass is the least disturbed
            start = time.perf_counter()
            for b0 in range(0, a.patches, a.batch):
                net(x[b0:b0 + a.batch])
            seconds = min(seconds, time.perf_counter() - start)
    flop = flop_per_patch(a.channels, a.patch)
    print(json.dumps({"patches_per_s": a.patches / seconds, "seconds": seconds, "patches": a.patches,
                      "batch": a.batch, "threads": a.threads, "gflop_per_patch": flop / 1e9,
                      "gflops": a.patches * flop / seconds / 1e9, "torch": torch.__version__}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
