package sim

// MeanPence exposes meanPence to the external tests.
var MeanPence = meanPence

// CheckSums exposes checkSums to the external tests.
var CheckSums = checkSums
