package onnx

import (
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/encoding/protowire"

	"workbench/engine/onnx/internal/onnxpb"
)

// msg is a protobuf message being appended to.
type msg []byte

func (m msg) str(num protowire.Number, s string) msg {
	m = protowire.AppendTag(m, num, protowire.BytesType)
	return protowire.AppendString(m, s)
}

func (m msg) bytes(num protowire.Number, b []byte) msg {
	m = protowire.AppendTag(m, num, protowire.BytesType)
	return protowire.AppendBytes(m, b)
}

func (m msg) sub(num protowire.Number, s msg) msg { return m.bytes(num, s) }

func (m msg) int(num protowire.Number, v int64) msg {
	m = protowire.AppendTag(m, num, protowire.VarintType)
	return protowire.AppendVarint(m, uint64(v))
}

func (m msg) float(num protowire.Number, f float32) msg {
	m = protowire.AppendTag(m, num, protowire.Fixed32Type)
	return protowire.AppendFixed32(m, math.Float32bits(f))
}

// tensor is a float32 initializer; dims empty means a scalar. raw_data is
// little-endian float32, as the ONNX spec requires whatever the host.
func tensor(name string, dims []int, data []float32) msg {
	var t msg
	for _, d := range dims {
		t = t.int(onnxpb.TensorDims, int64(d))
	}
	t = t.int(onnxpb.TensorDataType, onnxpb.DataTypeFloat)
	t = t.str(onnxpb.TensorName, name)
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	return t.bytes(onnxpb.TensorRawData, raw)
}

// valueInfo declares a float32 [batch, cols] tensor with a symbolic batch
// dimension, so runtimes accept any number of rows.
func valueInfo(name string, cols int) msg {
	var shape msg
	shape = shape.sub(onnxpb.ShapeDim, msg(nil).str(onnxpb.DimParam, "batch"))
	shape = shape.sub(onnxpb.ShapeDim, msg(nil).int(onnxpb.DimValue, int64(cols)))
	tt := msg(nil).int(onnxpb.TensorElemType, onnxpb.DataTypeFloat).sub(onnxpb.TensorShape, shape)
	return msg(nil).str(onnxpb.ValueName, name).sub(onnxpb.ValueType, msg(nil).sub(onnxpb.TypeTensor, tt))
}

func floatAttr(name string, f float32) msg {
	return msg(nil).str(onnxpb.AttrName, name).float(onnxpb.AttrF, f).int(onnxpb.AttrType, onnxpb.AttrTypeFloat)
}

func intAttr(name string, i int64) msg {
	return msg(nil).str(onnxpb.AttrName, name).int(onnxpb.AttrI, i).int(onnxpb.AttrType, onnxpb.AttrTypeInt)
}
