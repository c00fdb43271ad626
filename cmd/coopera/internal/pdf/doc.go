// Package pdf owns every PDF byte coopera writes. No other package writes
// PDF syntax or imports fpdf.
//
// A document is made in two steps:
//
//  1. Drawing, on a Doc: pages, lines, rectangles, images, links and text
//     runs given as two-byte glyph codes. fpdf (codeberg.org/go-pdf/fpdf
//     v0.12.0) keeps the pages, the images and the links; the text and path
//     operators are written here, since fpdf is given no fonts.
//  2. Finishing, once, with Doc.Finish: fpdf's output is read into a small
//     object model, the fonts the text used are added as objects (Type0,
//     CIDFontType2, descriptor, subset program, one ToUnicode map), the
//     PDF/A-2b fix-ups are made as object edits (Info and XMP from Meta, the
//     sRGB output intent, indirect print-flagged link annotations, no empty
//     name trees or /ProcSet), every stream is Flate-compressed once, and the
//     file is written once with a fresh cross-reference table and a
//     content-derived /ID. A Signature, when given, is written as the
//     file's signature field, and its /ByteRange covers the whole file but
//     the signature value.
//
// The object model is deliberately tiny: the classic layout fpdf writes
// (header, "N 0 obj ... endobj" objects with direct /Length, one xref
// table, one trailer) and nothing else. It refuses object streams, xref
// streams and incremental updates instead of guessing. Signatures reads
// back the signatures of a file for verification.
//
// The PDF/A checker is a separate package (pdfa) that only tests import, so
// that a reading mistake here cannot hide the same mistake there.
package pdf
