#!/usr/bin/env bash
# Makes the figures of docs/editing.md from a shipped MNIST model and real MNIST test digits (read from data/mnist
# by ./ddpm sample's DATASET:SPLIT:INDEX images; scripts/fetch-mnist.sh fetches them): image-to-image at four
# strengths, inpainting of the left and of the lower half, an interpolation strip, and the previews of one run.
# Usage: scripts/editing-figures.sh [MODEL[:VERSION]] [SEED]      defaults: mnist, 0
# Tens of images, a few minutes on two CPU cores. Writes docs/editing/*.png.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:-mnist}"
seed="${2:-0}"
out="$root/docs/editing"
mkdir -p "$out"
# In fp32 with TensorFlow's own GroupNorm ops, as the figures were drawn (the defaults are bf16 on a CPU with bf16
# units, and the fused GroupNorm kernel where it was built).
sample() { "$root/ddpm" sample --precision fp32 --group-norm stock "$@"; }

# MNIST test digits 0, 1, 2, 3, 4, 5, 6, 7 (indices 3, 2, 1, 18, 4, 8, 11, 0) for image-to-image.
digits=mnist:test:3,mnist:test:2,mnist:test:1,mnist:test:18,mnist:test:4,mnist:test:8,mnist:test:11,mnist:test:0
# Four 3s (indices 18, 30, 32, 44) and a 0, a 4, a 5 and a 6 for inpainting.
inpaint=mnist:test:18,mnist:test:30,mnist:test:32,mnist:test:44,mnist:test:3,mnist:test:4,mnist:test:8,mnist:test:11

for strength in 0.2 0.4 0.6 0.8; do
  sample --model "$model" --seed "$seed" --sampler ddim --steps 50 --init-image "$digits" \
    --strength "$strength" --out "$out/img2img-s$strength"
done
mv "$out/img2img-s0.2-input.png" "$out/img2img-input.png"
rm "$out"/img2img-s*-input.png
for half in left lower; do
  sample --model "$model" --seed "$seed" --sampler ancestral --steps 250 --jump-length 10 --jump-n-sample 5 \
    --init-image "$inpaint" --mask "$half" --out "$out/inpaint-$half"
done
# A 3 (test index 18) to a 7 (test index 0), from t = 500 as Ho et al. §4.3 do.
sample --model "$model" --seed "$seed" --sampler ddim --steps 50 --interpolate mnist:test:18,mnist:test:0 \
  --lambdas 0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1 --strength 0.5 --out "$out/interpolate"
rm -rf "$out/previews"
sample --model "$model" --seed "$seed" --n 4 --sampler ancestral --steps 1000 --previews "$out/previews" \
  --preview-every 100 --out "$out/previews-result"
rm -f "$out"/*.npz
