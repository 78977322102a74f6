"""Single-MatMul ONNX graphs for the roofline row of the benchmark (issue [F]): A [2048 x 384] (input) x B [384 x 1536]
(initializer), fp32 MatMul and int8 DynamicQuantizeLinear -> MatMulInteger. Writes build/bench-models/roofline/.

    /usr/bin/python3 tools/minilm-shape/roofline.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "build", "bench-models", "roofline")
M, K, N = 2048, 384, 1536


def save(nodes, inits, out_type, name):
    g = helper.make_graph(nodes, name, [helper.make_tensor_value_info("A", TensorProto.FLOAT, ["m", K])],
                          [helper.make_tensor_value_info("Y", out_type, ["m", N])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(OUT, name + ".onnx"))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(0)
    b = (rng.standard_normal((K, N)) * 0.05).astype(np.float32)
    save([helper.make_node("MatMul", ["A", "B"], ["Y"])], [numpy_helper.from_array(b, "B")], TensorProto.FLOAT,
         "matmul_fp32")
    bq = np.clip(np.round(b / (np.abs(b).max() / 127)), -127, 127).astype(np.int8)
    save([helper.make_node("DynamicQuantizeLinear", ["A"], ["Aq", "As", "Az"]),
          helper.make_node("MatMulInteger", ["Aq", "B", "Az"], ["Y"])],
         [numpy_helper.from_array(bq, "B")], TensorProto.INT32, "matmul_int8")
    print(OUT)


if __name__ == "__main__":
    main()
