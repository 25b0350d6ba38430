"""The decoder layer's matrix products at a full pack (16,384 tokens, fp16, random data), alone: TFLOP/s of each, and
a layer's products with q/k/v and gate/up fused into one product each.   python bench/gemm_probe.py"""
import torch
from triton.testing import do_bench
M, d = 16384, 3584
x = torch.randn(M, d, device="cuda", dtype=torch.float16)
def lin(n, k=d): return torch.randn(n, k, device="cuda", dtype=torch.float16) * 0.02
W = dict(q=lin(4096), k=lin(2048), v=lin(2048), o=lin(3584, 4096), gate=lin(14336), up=lin(14336), down=lin(3584, 14336), qkv=lin(8192), gateup=lin(28672))
xo, xd = torch.randn(M, 4096, device="cuda", dtype=torch.float16), torch.randn(M, 14336, device="cuda", dtype=torch.float16)
F = torch.nn.functional.linear
res = {}
for name, w in W.items():
    inp = xo if name == "o" else xd if name == "down" else x
    ms = do_bench(lambda: F(inp, w), warmup=100, rep=500, return_mode="median")
    res[name] = ms; print(f"{name}: {ms:.3f} ms, {2*M*w.shape[0]*w.shape[1]/ms/1e9:.0f} TFLOP/s", flush=True)
sep = sum(res[k] for k in "q k v o gate up down".split()); fused = res["qkv"] + res["o"] + res["gateup"] + res["down"]
print(f"per layer: separate {sep:.3f} ms, fused qkv+gateup {fused:.3f} ms, x42 = {42*sep:.1f} vs {42*fused:.1f} ms")
