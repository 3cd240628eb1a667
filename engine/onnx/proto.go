package onnx

import (
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of onnx.proto (proto2) that the encoder writes, in one place
// a reviewer can check against onnx.proto. The reader in onnxtest keeps its
// own transcription on purpose: the structure test then checks these against
// onnx.proto, not against themselves.
const (
	// ModelProto
	modelIRVersion     = 1
	modelProducerName  = 2
	modelProducerVer   = 3
	modelDomain        = 4
	modelModelVersion  = 5
	modelDocString     = 6
	modelGraph         = 7
	modelOpsetImport   = 8
	modelMetadataProps = 14

	// OperatorSetIdProto
	opsetDomain  = 1
	opsetVersion = 2

	// StringStringEntryProto
	entryKey   = 1
	entryValue = 2

	// GraphProto
	graphNode        = 1
	graphName        = 2
	graphInitializer = 5
	graphDocString   = 10
	graphInput       = 11
	graphOutput      = 12

	// NodeProto
	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5

	// AttributeProto
	attrName = 1
	attrF    = 2
	attrI    = 3
	attrType = 20

	// AttributeProto.AttributeType
	attrTypeFloat = 1
	attrTypeInt   = 2

	// TensorProto
	tensorDims     = 1
	tensorDataType = 2
	tensorName     = 8
	tensorRawData  = 9

	// TensorProto.DataType
	dataTypeFloat = 1

	// ValueInfoProto
	valueName = 1
	valueType = 2

	// TypeProto and TypeProto.Tensor
	typeTensor     = 1
	tensorElemType = 1
	tensorShape    = 2
	shapeDim       = 1
	dimValue       = 1
	dimParam       = 2
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
		t = t.int(tensorDims, int64(d))
	}
	t = t.int(tensorDataType, dataTypeFloat)
	t = t.str(tensorName, name)
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	return t.bytes(tensorRawData, raw)
}

// valueInfo declares a float32 [batch, cols] tensor with a symbolic batch
// dimension, so runtimes accept any number of rows.
func valueInfo(name string, cols int) msg {
	var shape msg
	shape = shape.sub(shapeDim, msg(nil).str(dimParam, "batch"))
	shape = shape.sub(shapeDim, msg(nil).int(dimValue, int64(cols)))
	tt := msg(nil).int(tensorElemType, dataTypeFloat).sub(tensorShape, shape)
	return msg(nil).str(valueName, name).sub(valueType, msg(nil).sub(typeTensor, tt))
}

func floatAttr(name string, f float32) msg {
	return msg(nil).str(attrName, name).float(attrF, f).int(attrType, attrTypeFloat)
}

func intAttr(name string, i int64) msg {
	return msg(nil).str(attrName, name).int(attrI, i).int(attrType, attrTypeInt)
}
