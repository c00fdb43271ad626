// Package bench is the measuring stage of coopera: its benchmarks time each
// stage of the pipeline on the seed letter (load, compose, typeset, PDF/A
// pass, write, and the whole pipeline in memory), and peers.sh times the
// whole process against Typst, WeasyPrint and LaTeX on the same letter,
// whose inputs are in testdata. `make bench` runs both.
package bench
