package sim

// MeanPence exposes meanPence to the external tests.
var MeanPence = meanPence
