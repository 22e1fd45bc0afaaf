"""Writes models/use-lite-en/onnx/model_quantized.onnx from model.onnx: dynamic int8 quantisation with
one scale per output channel (onnxruntime's quantize_dynamic). A development step, run once; the app
only reads the result. Needs Python with `onnx` and `onnxruntime` (pip install onnx onnxruntime):

    python3 scripts/quantize-encoder.py

Checked by models/embed/embed.test.ts: cosine to the float model's vectors >= 0.995 on card texts.
"""
from pathlib import Path

from onnxruntime.quantization import QuantType, quantize_dynamic

folder = Path(__file__).resolve().parent.parent / "models" / "use-lite-en" / "onnx"
quantize_dynamic(
    str(folder / "model.onnx"),
    str(folder / "model_quantized.onnx"),
    weight_type=QuantType.QInt8,
    per_channel=True,
)
print(f"wrote {folder / 'model_quantized.onnx'}")
