// Package onnxpb holds the field numbers of onnx.proto (proto2) that
// workbench's ONNX encoder writes and its test reader (onnxtest) reads, in
// one place a reviewer can check against onnx.proto. Real ONNX Runtime
// loading every exported graph (.ci/onnx.sh) checks them independently.
//
// It imports nothing of the project.
package onnxpb

const (
	// ModelProto
	ModelIRVersion     = 1
	ModelProducerName  = 2
	ModelProducerVer   = 3
	ModelDomain        = 4
	ModelModelVersion  = 5
	ModelDocString     = 6
	ModelGraph         = 7
	ModelOpsetImport   = 8
	ModelMetadataProps = 14

	// OperatorSetIdProto
	OpsetDomain  = 1
	OpsetVersion = 2

	// StringStringEntryProto
	EntryKey   = 1
	EntryValue = 2

	// GraphProto
	GraphNode        = 1
	GraphName        = 2
	GraphInitializer = 5
	GraphDocString   = 10
	GraphInput       = 11
	GraphOutput      = 12

	// NodeProto
	NodeInput     = 1
	NodeOutput    = 2
	NodeName      = 3
	NodeOpType    = 4
	NodeAttribute = 5

	// AttributeProto
	AttrName = 1
	AttrF    = 2
	AttrI    = 3
	AttrType = 20

	// AttributeProto.AttributeType
	AttrTypeFloat = 1
	AttrTypeInt   = 2

	// TensorProto
	TensorDims     = 1
	TensorDataType = 2
	TensorName     = 8
	TensorRawData  = 9

	// TensorProto.DataType
	DataTypeFloat = 1

	// ValueInfoProto
	ValueName = 1
	ValueType = 2

	// TypeProto and TypeProto.Tensor
	TypeTensor     = 1
	TensorElemType = 1
	TensorShape    = 2
	ShapeDim       = 1
	DimValue       = 1
	DimParam       = 2
)
