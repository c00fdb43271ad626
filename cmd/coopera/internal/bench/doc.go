// Package bench is the measuring stage of coopera: its benchmarks time each
// stage of the pipeline on the seed letter (load, compose, typeset, PDF/A
// pass, write, and the whole pipeline in memory). Beside it, the command
// peers times the whole process against Typst, WeasyPrint and LaTeX on the
// same letter, whose inputs are in testdata, and the command archivio
// times coopera archivio over 100, 1,000 and 10,000 generated meetings.
// `make bench` runs all three.
package bench
