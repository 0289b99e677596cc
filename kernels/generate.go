package kernels

//go:generate go run ./internal/genmain
